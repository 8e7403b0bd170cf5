"""Sessions that survive a restart: assets, every version of the draft, and render jobs, in SQLite."""
