"""How much of a voice its SoundFont sends to the reverb and the chorus (generators 16 and 15, section 8.1.3).

A font's designer sets them per instrument (FluidR3 and MuseScore_General: most voices 10-15 % reverb, a few
dry, a few with chorus). A player adds its own through MIDI controllers 91 and 93, which the spec's default
modulators turn into more send: here the arrangement plays that role, one amount per bus (the bass and the
kick stay dry whatever the font says). FluidSynth's reverb and chorus take one mono input, and so do ours.
"""

from __future__ import annotations

from free_music_ai.engine.soundfont.font import VoiceSpec
from free_music_ai.engine.soundfont.generators import Gen

# The default modulator CC91 -> reverb send (200 = 20 % at full controller) with CC91 at General MIDI 2's
# reset value of 40: the send a player gets without asking, on top of the font's own.
PLAYER_REVERB = 0.2 * 40 / 128
TYPICAL_FONT_REVERB = 0.1  # the most common generator value (100 = 10 %): such a voice gets the bus's amount
MAX_REVERB_SCALE = 2.0


def reverb_share(spec: VoiceSpec, amount: float) -> float:
    """The voice's reverb send, for a bus whose arrangement sends ``amount`` of a typical voice."""
    font = max(0.0, min(1.0, spec.gen(Gen.REVERB_SEND) / 1000.0))
    return amount * min(MAX_REVERB_SCALE, (font + PLAYER_REVERB) / (TYPICAL_FONT_REVERB + PLAYER_REVERB))


def chorus_share(spec: VoiceSpec, amount: float) -> float:
    """The voice's chorus send: the font's alone (controller 93 rests at 0), on buses that send at all."""
    return max(0.0, min(1.0, spec.gen(Gen.CHORUS_SEND) / 1000.0)) if amount > 0 else 0.0
