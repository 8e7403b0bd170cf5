"""The composition as a Standard MIDI File (type 1, one track per part and instrument), written with mido."""

from __future__ import annotations

from pathlib import Path

from free_music_ai.engine.music.compose import Composition
from free_music_ai.engine.music.sound_design import BEND_RANGE, midi_bends
from free_music_ai.engine.music.theory import PARENT_OFFSET
from free_music_ai.engine.soundfont.events import Vibrato

TICKS_PER_BEAT = 480
DRUM_CHANNEL = 9
NRPN_CENTRE = 8192  # a SoundFont NRPN's data for no offset
NO_VIBRATO = Vibrato(0, 0, 0)  # the font's own vibrato: every offset back to none


def write_midi(composition: Composition, path: Path) -> None:
    """Times are written in seconds at the base tempo's scale: the file plays exactly as the audio does."""
    import mido

    bpm = composition.bpm
    ticks_per_second = TICKS_PER_BEAT * bpm / 60.0
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_BEAT)
    conductor = mido.MidiTrack()
    conductor.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm), time=0))
    conductor.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))
    now = 0
    for tick, key in key_signatures(composition, ticks_per_second):  # the home key, then each lift
        conductor.append(mido.MetaMessage("key_signature", key=key, time=tick - now))
        now = tick
    midi.tracks.append(conductor)
    # one track and channel per part and program: a part played on two instruments at once (rock's guitars,
    # double-tracked on a distortion and an overdriven one) keeps both, where one channel names one program
    tracks: dict[tuple[str, int], list[tuple[int, int, object]]] = {}
    channels: dict[tuple[str, int], int] = {}
    vibratos: dict[tuple[str, int], Vibrato | None] = {}
    for event in composition.events:
        voice = (event.part, -1 if event.drum else event.program)
        if voice not in channels:
            free = [c for c in range(16) if c != DRUM_CHANNEL and c not in channels.values()]
            channels[voice] = DRUM_CHANNEL if event.drum else (free[0] if free else 0)
        channel = channels[voice]
        start = round(event.start_s * ticks_per_second)
        end = max(start + 1, round((event.start_s + event.duration_s) * ticks_per_second))
        messages = tracks.setdefault(voice, [])
        if event.vibrato != vibratos.get(voice):  # the channel's vibrato set for the notes from this one on
            vibratos[voice] = event.vibrato
            messages.extend((start, 1, message) for message in vibrato_messages(event.vibrato, channel))
        messages.append((start, 2, mido.Message("note_on", channel=channel, note=event.key, velocity=event.velocity)))
        messages.append((end, 0, mido.Message("note_off", channel=channel, note=event.key, velocity=0)))
    bends = midi_bends(composition.events)  # the 808's slides, on the bass part's channel
    for voice, messages in tracks.items():
        if bends and voice[0] == "bass":
            _write_bends(messages, channels[voice], bends, ticks_per_second)
    for (part, program), messages in tracks.items():
        track = mido.MidiTrack()
        track.append(mido.MetaMessage("track_name", name=part, time=0))
        if channels[(part, program)] != DRUM_CHANNEL:
            track.append(mido.Message("program_change", channel=channels[(part, program)], program=program, time=0))
        now = 0
        for tick, _, message in sorted(messages, key=lambda m: (m[0], m[1])):
            track.append(message.copy(time=tick - now))  # type: ignore[attr-defined]
            now = tick
        midi.tracks.append(track)
    midi.save(str(path))


def _write_bends(messages: list[tuple[int, int, object]], channel: int, bends: list[tuple[float, int]],
                 ticks_per_second: float) -> None:  # fmt: skip
    """The pitch wheel's range set to BEND_RANGE semitones (registered parameter 0), then each bend, placed
    before a note that starts at the same tick."""
    import mido

    for number, value in ((101, 0), (100, 0), (6, BEND_RANGE), (38, 0)):
        messages.append((0, 1, mido.Message("control_change", channel=channel, control=number, value=value)))
    for seconds, value in bends:
        wheel = mido.Message("pitchwheel", channel=channel, pitch=value)
        messages.append((round(seconds * ticks_per_second), 1, wheel))


def vibrato_messages(vibrato: Vibrato | None, channel: int) -> list[object]:
    """The SoundFont NRPNs (2.04 section 9.6) that set a channel's vibrato LFO to ``vibrato`` (None: the font's own):
    for each generator, NRPN 120 with the generator's number, then its offset in the generator's steps around 8192,
    the data entry's low byte before the high one that sets it."""
    import mido

    messages: list[object] = []
    for target, offset in (vibrato or NO_VIBRATO).offsets:
        data = NRPN_CENTRE + offset // target.step
        for control, value in ((99, 120), (98, int(target.gen)), (38, data & 0x7F), (6, data >> 7)):
            messages.append(mido.Message("control_change", channel=channel, control=control, value=value))
    return messages


# the major keys a key signature names (a mode is written with its parent major's signature)
SIGNATURE_MAJORS = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def key_signatures(composition: Composition, ticks_per_second: float) -> list[tuple[int, str]]:
    """(tick, key) of the piece's home key and of every bar where a key lift moves it: minor as minor, other
    modes by their parent major's signature."""
    character = composition.character
    tempo = composition.form.tempo
    found: list[tuple[int, str]] = []
    shift = None
    for bar in composition.form.bars:
        if bar.shift != shift:
            shift = bar.shift
            tonic = (character.tonic + bar.shift) % 12
            found.append((round(tempo.time_of(bar.start) * ticks_per_second), _signature(tonic, character.mode)))
    return found or [(0, _signature(character.tonic, character.mode))]


def _signature(tonic: int, mode: str) -> str:
    if mode == "minor":
        return MINOR_SIGNATURES[tonic % 12]
    return SIGNATURE_MAJORS[(tonic - PARENT_OFFSET.get(mode, 0)) % 12]


MINOR_SIGNATURES = ("Cm", "C#m", "Dm", "Ebm", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "Bbm", "Bm")
