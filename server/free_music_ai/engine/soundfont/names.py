"""The SoundFonts shipped with the package, by name (no imports: the genres and the licence read them)."""

# MuseScore_General plays the music: its grand is heard as a piano (FluidR3Mono's as a harpsichord or a guitar),
# its electric pianos, guitars and strings as themselves, and we play it as FluidSynth does
# (tests/engine/soundfont/test_against_fluidsynth.py). The genres' air, the tune's level and a few parts' levels
# are tuned for it (genres.py, mixdown.py): the music report meets every threshold on 13 of 16 pieces (12 on
# FluidR3Mono), and on 59 of 64 over two seeds at 30 and 75 s (56); what fails is the form, the arc or the key heard.
# What it costs against FluidR3Mono, measured on a shared machine at load 8-11: the 600 s piece 1.18x
# FluidR3Mono's CPU (19.4 s against 16.4 s), the one-shot 1.11x its user CPU (7.0 s against 6.3 s), a 20-minute
# piece peaks at 783 MB. Where a minute of pop on it still spends its extra CPU (0.7 s over FluidR3Mono's 1.9 s,
# with the command line's allocator): the filter bank of the piano's swept filters (0.4 s, half of it levels
# heard only in the attack, one 12288-sample block each), decoding (0.12 s, only what notes read), planning twice
# the voices.
BUNDLED_FONT_NAME = "MuseScore_General_Lite.sf3"
PIANO_FONT_NAME = BUNDLED_FONT_NAME  # the solo piano's (genres.Style.font), the band's since it became the default
# FluidR3Mono played the band until MuseScore_General did: what a licence sidecar that names no font, or names
# it, was played with. Kept so that every render replays to the sample.
LEGACY_FONT_NAME = "FluidR3Mono_GM.sf3"
BUNDLED_FONTS = (BUNDLED_FONT_NAME, LEGACY_FONT_NAME)
