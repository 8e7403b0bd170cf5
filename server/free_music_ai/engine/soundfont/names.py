"""The SoundFonts shipped with the package, by name (no imports: the genres and the licence read them)."""

# FluidR3Mono plays the band. MuseScore_General plays the solo piano (genres.Style.font): its grand is heard as a
# piano (FluidR3Mono's as a harpsichord or a guitar), and we play it as FluidSynth does
# (tests/engine/soundfont/test_against_fluidsynth.py); but its stereo, velocity-filtered samples cost 2.4x the
# time on a solo piano and 4-19x on a full band (pop, cinematic), past the music's 50x-real-time budget.
BUNDLED_FONT_NAME = "FluidR3Mono_GM.sf3"
PIANO_FONT_NAME = "MuseScore_General_Lite.sf3"
LEGACY_FONT_NAME = BUNDLED_FONT_NAME  # what a licence sidecar that names no font was played with
BUNDLED_FONTS = (BUNDLED_FONT_NAME, PIANO_FONT_NAME)
