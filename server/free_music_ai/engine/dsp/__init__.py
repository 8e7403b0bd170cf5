"""The mix's effects in numpy alone: equalisers, dynamics (a compressor with a sidechain, a brick-wall
limiter), a convolution reverb on an impulse we generate, echo, chorus and saturation.

Each effect is an object that keeps its state from block to block and takes channel-first (2, n) float32 audio,
so a piece is played a block at a time. None of it is a copy of another project's code; the designs are the
textbook ones (the bilinear transform, R. Bristow-Johnson's shelving filters, a peak detector with exponential
release, overlap-add convolution).
"""
