"""The SoundFonts shipped with the package, by name (no imports: the genres and the licence read them)."""

# FluidR3Mono plays the band. MuseScore_General plays the solo piano (genres.Style.font): its grand is heard as a
# piano (FluidR3Mono's as a harpsichord or a guitar), and we play it as FluidSynth does
# (tests/engine/soundfont/test_against_fluidsynth.py). Played on it, the band costs 1.0-1.4x FluidR3Mono's CPU in
# most genres (2.4x for two minutes of cinematic, whose piano holds long notes): the 600 s benchmark fell from 59x
# to 46x real time (the budget is 50x) and the one-shot from 0.90x to 1.26x one decode (the budget is 1.0x), so
# the band stays on FluidR3Mono until the synthesizer is cheaper still (FMAI_SOUNDFONT plays everything on it).
# Since then (families rendered together in the mix, releases only as long as they ring, held filter shares, one
# pass less per EQ pole), measured on a shared machine at load 8-11, where no wall-clock budget could be checked:
# the 600 s piece costs 1.18x FluidR3Mono's CPU (19.4 s against 16.4 s), the one-shot 1.11x its user CPU (7.0 s
# against 6.3 s), a 20-minute piece peaks at 783 MB (under 0.8 GB, narrowly); both speed budgets sit at the edge.
# Where a minute of pop on it still spends its extra CPU (0.7 s over FluidR3Mono's 1.9 s, with the command line's
# allocator): the filter bank of the piano's swept filters (0.4 s, half of it levels heard only in the attack, one
# 12288-sample block each), decoding (0.18 s, 0.12 s since only what notes read is), planning twice the voices.
BUNDLED_FONT_NAME = "FluidR3Mono_GM.sf3"
PIANO_FONT_NAME = "MuseScore_General_Lite.sf3"
LEGACY_FONT_NAME = BUNDLED_FONT_NAME  # what a licence sidecar that names no font was played with
BUNDLED_FONTS = (BUNDLED_FONT_NAME, PIANO_FONT_NAME)
