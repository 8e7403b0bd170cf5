"""The SoundFonts shipped with the package, by name (no imports: the genres and the licence read them)."""

# MuseScore_General plays the music: its grand is heard as a piano (FluidR3Mono's as a harpsichord or a guitar),
# its electric pianos, guitars and strings as themselves, and we play it as FluidSynth does
# (tests/engine/soundfont/test_against_fluidsynth.py). Its stereo, velocity-filtered samples cost 1.0-1.4x the
# time of FluidR3Mono's in most genres (2.4x for two minutes of cinematic, whose piano holds long notes): the
# voices that read one sample share its filter transforms, the velocity moves the filter in steps of 8, a quiet
# voice is let go when it is silent, and the waveforms are rendered before the mix only as far as the cache holds.
BUNDLED_FONT_NAME = "MuseScore_General_Lite.sf3"
PIANO_FONT_NAME = BUNDLED_FONT_NAME  # the solo piano's (genres.Style.font), the band's since it became the default
# FluidR3Mono played the band until MuseScore_General did: what a licence sidecar that names no font, or names
# it, was played with. Kept so that every render replays to the sample.
LEGACY_FONT_NAME = "FluidR3Mono_GM.sf3"
BUNDLED_FONTS = (BUNDLED_FONT_NAME, LEGACY_FONT_NAME)
