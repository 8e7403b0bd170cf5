"""The typed project: what a session's video is made of (clips, music, titles, canvas, sound), its edits and
focus, its summary, and the one converter to and from the NemoVideo draft."""
