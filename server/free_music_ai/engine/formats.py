"""The media we accept, by what a file really contains, not only by its name."""

from __future__ import annotations

from enum import StrEnum


class MediaKind(StrEnum):
    VIDEO = "video"
    IMAGE = "image"
    AUDIO = "audio"


VIDEO_EXTENSIONS = frozenset({".mp4", ".mov", ".avi", ".webm", ".mkv", ".m4v"})
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})
AUDIO_EXTENSIONS = frozenset({".mp3", ".wav", ".m4a", ".aac"})
SUPPORTED_EXTENSIONS = VIDEO_EXTENSIONS | IMAGE_EXTENSIONS | AUDIO_EXTENSIONS

# libavformat demuxer names that carry each kind. A name in one set may hold another kind (an mp4 with only
# audio is audio; a gif with many frames is a video); the streams decide that, the demuxer only admits the file.
VIDEO_DEMUXERS = frozenset({"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "gif"})
IMAGE_DEMUXERS = frozenset({"image2", "jpeg_pipe", "png_pipe", "webp_pipe", "gif_pipe", "webp", "gif", "apng"})
AUDIO_DEMUXERS = frozenset({"mp3", "wav", "aac", "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"})
ACCEPTED_DEMUXERS = VIDEO_DEMUXERS | IMAGE_DEMUXERS | AUDIO_DEMUXERS

# Decoders for still images: a stream of one of these with a single frame is an image.
IMAGE_CODECS = frozenset({"mjpeg", "png", "webp", "gif", "apng", "jpegls"})
