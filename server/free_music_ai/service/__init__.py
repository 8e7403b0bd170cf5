"""The application between the front doors and the engine: sessions, jobs, and what is true about the music."""
