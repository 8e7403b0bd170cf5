"""The music engine: a mood and a length in, original, royalty-free music out (notes, then audio)."""
