"""Genre names as people write them ("lofi", "some epic orchestral music", "钢琴"), in English and Chinese."""

from __future__ import annotations

from free_music_ai.engine.music.genres import genre_names
from free_music_ai.engine.music.spec import Genre
from free_music_ai.errors import InputError
from free_music_ai.words.names import first_named

GENRE_WORDS: dict[str, Genre] = {
    "lo-fi": Genre.LOFI, "lofi": Genre.LOFI, "lo fi": Genre.LOFI, "chillhop": Genre.LOFI, "chill hop": Genre.LOFI,
    # the longest name wins, and lo-fi hip hop is lo-fi, not hip-hop
    "lofi hip hop": Genre.LOFI, "lo-fi hip hop": Genre.LOFI, "lo fi hip hop": Genre.LOFI, "lofi hip-hop": Genre.LOFI,
    "lo-fi hip-hop": Genre.LOFI,
    "cinematic": Genre.CINEMATIC, "film": Genre.CINEMATIC, "epic": Genre.CINEMATIC, "trailer": Genre.CINEMATIC,
    "heroic": Genre.CINEMATIC, "movie": Genre.CINEMATIC, "orchestral": Genre.ORCHESTRAL, "orchestra": Genre.ORCHESTRAL,
    "classical": Genre.ORCHESTRAL, "strings": Genre.ORCHESTRAL, "symphonic": Genre.ORCHESTRAL,
    "pop": Genre.POP, "upbeat pop": Genre.POP, "acoustic": Genre.ACOUSTIC, "guitar": Genre.ACOUSTIC,
    "folk": Genre.FOLK, "indie": Genre.FOLK, "indie folk": Genre.FOLK, "folk/indie": Genre.FOLK,
    "ambient": Genre.AMBIENT, "atmospheric": Genre.AMBIENT, "corporate": Genre.CORPORATE, "business": Genre.CORPORATE,
    "hip-hop": Genre.HIPHOP, "hip hop": Genre.HIPHOP, "hiphop": Genre.HIPHOP, "rap": Genre.HIPHOP,
    "boom bap": Genre.HIPHOP,
    "trap": Genre.TRAP, "drill": Genre.TRAP, "electronic": Genre.EDM, "edm": Genre.EDM, "dance": Genre.EDM,
    "house": Genre.EDM, "techno": Genre.EDM, "solo piano": Genre.PIANO, "piano": Genre.PIANO, "jazz": Genre.JAZZ,
    "jazzy": Genre.JAZZ, "swing": Genre.JAZZ, "rock": Genre.ROCK, "metal": Genre.ROCK, "punk": Genre.ROCK,
    "r&b": Genre.RNB, "rnb": Genre.RNB, "r and b": Genre.RNB, "soul": Genre.RNB, "neo-soul": Genre.RNB,
    "suspense": Genre.SUSPENSE, "thriller": Genre.SUSPENSE, "horror": Genre.SUSPENSE, "tension": Genre.SUSPENSE,
    "钢琴": Genre.PIANO, "电子": Genre.EDM, "嘻哈": Genre.HIPHOP, "说唱": Genre.HIPHOP, "史诗": Genre.CINEMATIC,
    "电影": Genre.CINEMATIC, "管弦": Genre.ORCHESTRAL, "交响": Genre.ORCHESTRAL, "古典": Genre.ORCHESTRAL,
    "流行": Genre.POP, "民谣": Genre.FOLK, "吉他": Genre.ACOUSTIC, "氛围": Genre.AMBIENT, "企业": Genre.CORPORATE,
    "爵士": Genre.JAZZ, "摇滚": Genre.ROCK, "灵魂乐": Genre.RNB, "节奏布鲁斯": Genre.RNB, "悬疑": Genre.SUSPENSE,
    "惊悚": Genre.SUSPENSE,
}  # fmt: skip


def genre_from_text(text: str) -> Genre | None:
    """The genre a name or a sentence names ("lofi", "some epic orchestral music", "钢琴"), longest match first."""
    word = first_named(text, GENRE_WORDS)
    return GENRE_WORDS[word] if word is not None else None


def parse_genre(text: str) -> Genre:
    """A genre the user named on purpose (a --genre flag, a tool argument): an unknown name is an error that
    lists the genres, never a silent substitute."""
    found = genre_from_text(text.strip())
    if found is None:
        from free_music_ai.words.styles import style_from_text

        style = style_from_text(text.strip())
        nearest = f" The nearest to {style[0]} is {style[1].genre.value}." if style else ""
        raise InputError(f"Unknown genre {text.strip()!r}.{nearest} Choose one of: {genre_names()}.")
    return found
