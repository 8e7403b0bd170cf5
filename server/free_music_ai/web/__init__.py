"""The web page: a creator's way in without an MCP host, served on this machine over the same service."""
