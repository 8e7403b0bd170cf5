"""Batch scoring: many clips, each with its own music and its own MP4, on a process pool or a Dask cluster."""
