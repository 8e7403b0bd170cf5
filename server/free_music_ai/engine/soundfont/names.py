"""The SoundFonts shipped with the package, by name (no imports: the genres and the licence read them)."""

# MuseScore_General plays the music: its grand is heard as a piano (FluidR3Mono's as a harpsichord or a guitar),
# its electric pianos, guitars and strings as themselves, and we play it as FluidSynth does
# (tests/engine/soundfont/test_against_fluidsynth.py). The genres' air, the tune's level and a few parts' levels
# are tuned for it (genres.py, mixdown.py): the music report meets every threshold on 13 of 16 pieces (12 on
# FluidR3Mono), and on 59 of 64 over two seeds at 30 and 75 s (56); what fails is the form, the arc or the key heard.
# What it costs against FluidR3Mono (2 cores, alternating runs): the 600 s piece 49-50x real time against 59-60x,
# the one-shot about 0.05x of one decode more, a 20-minute piece peaks at 581 MB. Where a minute of pop on it still
# spends its extra CPU (2.6 s against 2.0 s): the piano's swept filter (0.37 s: block transforms, and the
# recursion over the attack's first samples, lowpass.lowpass_head), mixing (0.1 s: the piano's two stereo layers
# make 1.9x the voices), planning (0.1 s) and decoding the compressed samples (0.15 s, in worker threads).
BUNDLED_FONT_NAME = "MuseScore_General_Lite.sf3"
PIANO_FONT_NAME = BUNDLED_FONT_NAME  # the solo piano's (genres.Style.font), the band's since it became the default
# FluidR3Mono played the band until MuseScore_General did: what a licence sidecar that names no font, or names
# it, was played with. Kept so that every render replays to the sample.
LEGACY_FONT_NAME = "FluidR3Mono_GM.sf3"
BUNDLED_FONTS = (BUNDLED_FONT_NAME, LEGACY_FONT_NAME)
