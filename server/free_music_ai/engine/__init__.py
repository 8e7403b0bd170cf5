"""Media work with no MCP, session or HTTP imports: probe, analyze, plan, compose, synthesize, master, render."""
