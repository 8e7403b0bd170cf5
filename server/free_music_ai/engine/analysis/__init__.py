"""Video understanding: picture and sound measured over time, turned into mood, energy, cuts and speech."""
