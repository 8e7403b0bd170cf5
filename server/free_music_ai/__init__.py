"""free-music-ai-generator: original, royalty-free music for videos, made on the user's own machine."""

__version__ = "0.1.0"

__all__ = ["__version__"]
