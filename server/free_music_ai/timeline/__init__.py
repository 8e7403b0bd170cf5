"""The draft: tracks of segments in NemoVideo's short-key JSON, so state reads the same from both backends."""
