"""Thin MCP adapters, one module per tool: upload, generate, state, credits, export."""
