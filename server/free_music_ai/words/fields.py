"""Values given as values (CLI flags, tool arguments) joined to a message's edits as they are: a title is a
title whatever its words, a genre the one named. Mood words and genre names are read here, with the rest."""

from __future__ import annotations

from typing import Any

from free_music_ai.engine.canvas_choices import Aspect, Fit
from free_music_ai.project.edits import Edits
from free_music_ai.words.genre import parse_genre
from free_music_ai.words.message import title_wish
from free_music_ai.words.wishes import read_wishes


def apply_fields(intent: Edits, fields: dict[str, Any]) -> None:
    if fields.get("music_volume") is not None:
        intent.music_volume = float(fields["music_volume"])
    if fields.get("title"):
        intent.titles.append(title_wish(str(fields["title"])))
    if fields.get("aspect"):
        intent.aspect = Aspect(fields["aspect"])
    if fields.get("fit"):
        intent.fit = Fit(fields["fit"])
    if fields.get("image_seconds"):
        intent.image_seconds = float(fields["image_seconds"])
    if fields.get("keep_music"):  # the user's own song was given with the request: it stays the music
        intent.generate = intent.regenerate = intent.adjust = False
    wished: dict[str, Any] = {}
    if fields.get("mood"):  # mood words, which may name a genre too ("epic")
        mood = read_wishes(str(fields["mood"]))
        wished.update({key: value for key, value in (("mood", mood.mood), ("genre", mood.genre)) if value is not None})
        if mood.change != (0.0, 0.0):
            wished["change"] = mood.change
    if fields.get("genre"):
        wished["genre"] = parse_genre(str(fields["genre"]))
    if fields.get("bpm"):
        wished["bpm"] = float(fields["bpm"])
    if wished:
        intent.wishes = intent.wishes.model_copy(update=wished)
    if (wished or "seed" in fields) and not (intent.adjust or intent.regenerate or fields.get("keep_music")):
        intent.generate = True
