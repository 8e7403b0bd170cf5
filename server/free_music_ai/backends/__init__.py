"""Backends behind the tools: the embedded local engine (default) and the NemoVideo cloud."""
