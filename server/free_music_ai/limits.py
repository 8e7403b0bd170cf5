"""Every bound on what one request may cost, in one place (the README's limits table follows this file).

Each keeps a careless or hostile request (a prompt-injected host, a pasted book, a picture bomb) to a
bounded amount of time and memory, and each is refused with an error that names the limit and what to do.
"""

from __future__ import annotations

MAX_MESSAGE_CHARS = 8_000  # a message to the assistant; parsing is linear, but a book is not a request
MAX_ASSETS_PER_SESSION = 200  # files in one session
MAX_TIMELINE_S = 20 * 60  # the longest video a project may make (the music's own limit too)
MAX_PIXELS = 50_000_000  # per picture or video frame (8K video is 33 MP; a 16000x16000 PNG is 256 MP)
MAX_ANIMATION_FRAMES = 3_000  # frames of an animated GIF or WebP (100 s at 30 fps)
MAX_PICTURE_PARTS = 100_000  # chunks, segments or blocks of a picture walked to size every frame (photos have tens)
MAX_INLINE_FILES = 50  # files sent as data in one upload call
# bytes of files sent inline (base64 inside the JSON-RPC message), all of one upload together, decoded: holding
# such a message, parsed, its text and the file keeps the MCP server well under 1 GB; larger files go by path or link
MAX_INLINE_BYTES = 64_000_000
MAX_MESSAGE_LINE_BYTES = MAX_INLINE_BYTES * 4 // 3 + 1_000_000  # one JSON-RPC line over stdio: that, as base64
# samples (index entries) all tracks of a video or sound file may claim together: a frame or packet every
# millisecond for the longest video a project may make (60 fps video and 48 kHz AAC are 107 a second together;
# 240 fps and 96 kHz AAC 334): its index then takes about 30 MB
MAX_INDEXED_SAMPLES = MAX_TIMELINE_S * 1_000
# uncompressed sound (PCM in MOV/MP4) counts every sound sample, and is indexed by chunk: 192 kHz for as long
MAX_SOUND_SAMPLES = MAX_TIMELINE_S * 192_000
