"""The forms a piece can take: which sections come in which order, where the breakdown falls (or whether there
is one), a build and a drop, a half-time bridge, a lift of the key for the last chorus.

A jazz tune is played as a combo plays one: the head (the tune, its hook), solos over the changes, the head
again (the ``head`` form).

One template for every piece made every piece the same silhouette (issue 27: two seeds' loudness curves
correlated at r = 0.98). The seed now picks one of the forms that suit the genre; the video's energy and the
user's dynamics still place the peak, the form decides what leads into it and what follows it. Each bar gets a
section label, a feel (normal, halftime, build, drop) and a key shift in semitones above the home key.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from free_music_ai.engine.music import club_form
from free_music_ai.engine.music.club_form import ClubShape, club_shape
from free_music_ai.engine.music.seed_places import seed_place
from free_music_ai.engine.music.spec import Dynamics, Genre

PHRASE_BARS = 4
# genres whose producers build into a drop; the others would sound like a parody of one
DROP_GENRES = frozenset({Genre.EDM, Genre.TRAP, Genre.POP, Genre.HIPHOP})
# genres that keep their key: a loop-based beat or a drone does not modulate for a last chorus, nor does a jazz
# combo play its last head a step up (a 48 s piece in C closed on D, and its ear heard D minor)
NO_LIFT = frozenset({Genre.AMBIENT, Genre.SUSPENSE, Genre.LOFI, Genre.HIPHOP, Genre.TRAP, Genre.JAZZ})
# genres played head, solos, head: the tune stated, improvised on, stated again (a jazz piece's verse, chorus and
# breakdown made it a pop song played on a vibraphone)
HEAD_GENRES = frozenset({Genre.JAZZ})
# a head, a solo and the head again need three phrases and an intro: a shorter piece states its tune once
HEAD_MIN_BARS = 14


@dataclass(frozen=True)
class Sections:
    name: str  # the form's name: classic, hook-first, early-break, halftime, drop, lift
    labels: tuple[str, ...]  # one section label per bar
    feels: tuple[str, ...]  # one feel per bar: normal, halftime, build, drop
    shifts: tuple[int, ...]  # one key shift per bar, semitones above the home key
    # bars where a short piece's only phrase enters with a lighter band: its first two, so its opening four bars grow
    # into the rest instead of stating the whole band at once (the loudness arc of a 30 s piece)
    rising: frozenset[int] = frozenset()


# From here a piece's first four bars are less than half of it, and they should be its quiet part: a piece whose one
# phrase came in whole in bar 2 or 3 stood only 0.6-2.7 dB above its opening (the music report's arc, 30 s pieces)
RISING_MIN_BARS = 8
LIFT_MIN_BARS = 20  # a shorter piece would spend half its length in a key it does not report


def forms_for(genre: Genre, drums: bool, bars: int) -> tuple[str, ...]:
    """The forms that suit a genre and length: a half-time bridge and a drop need a groove to change, a lift
    a piece long enough to have come home first."""
    names = ["classic", "hook-first", "early-break"]
    if drums:
        names.append("halftime")
    if drums and genre in DROP_GENRES:
        names.append("drop")
    if genre not in NO_LIFT and bars >= LIFT_MIN_BARS:
        names.append("lift")
    return tuple(names)


# from three phrases on (a 48 s piece at 60-80 bpm) the forms differ in more than an intro's length: a shorter piece
# without a beat keeps its own draw (spread by the seed, its 30 s forms fell from three shapes to two over 12 seeds)
SPREAD_FORMS_BARS = 12
# a dance track builds into its drop as a rule, where the seed's draw among five or six forms gave electronic and trap
# one on 3 seeds of 12 (the same three for both): this share of their pieces takes the drop whatever the draw said.
# Every electronic piece has its drop (a listener heard seed 2's breakdown into a peak as no drop at all)
DROP_SHARE = {Genre.EDM: 1.0, Genre.TRAP: 0.5}
# genres whose build takes a whole phrase and whose drop two, as a club track's do: electronic's build of two bars
# (3.8 s) rose +1.6 LU into a drop of four (7.6 s) that fell back into a verse, and its ear heard no drop
LONG_DROP_GENRES = frozenset({Genre.EDM})
LONG_DROP_BREATH = 0.5  # the share of single-drop club tracks whose build rises out of a breakdown


def chosen_form(genre: Genre, drums: bool, bars: int, *, rng: random.Random, seed: int, kept: str | None = None) -> str:
    """One of the forms that suit the genre and length: the piece's own draw (every later draw of the piece stays
    where it was), or the drop, as often as the genre takes one, drawn per genre and seed. ``kept``: the form the
    piece's first version took, where it suits this length (MusicSpec.form)."""
    names = forms_for(genre, drums, bars)
    drawn = rng.choice(names)  # drawn even where the form is set otherwise, so the piece's later draws stay put
    if kept is not None and (kept in names or (kept == "head" and genre in HEAD_GENRES and bars >= HEAD_MIN_BARS)):
        return kept
    if not drums and bars >= SPREAD_FORMS_BARS:
        # music without a beat has only its form to tell two pieces apart: by the seed's place on the Weyl sequence
        # (seed_places.py) neighbouring seeds take different forms, where a draw of its own gave solo piano's and
        # ambient's seeds 1-4 one form (their loudness curves 0.85-0.92 alike, two listening critiques)
        drawn = names[int(seed_place(f"form:{genre.value}:{len(names)}", seed) * len(names))]
    if genre in HEAD_GENRES and bars >= HEAD_MIN_BARS:
        return "head"
    share = DROP_SHARE.get(genre, 0.0)
    if "drop" in names and drawn != "drop" and random.Random(f"drop:{genre.value}:{seed}").random() < share:
        return "drop"
    return drawn


def plan_sections(
    bars: int,
    video: list[float] | None,
    *,
    dynamics: Dynamics,
    name: str,
    rng: random.Random,
    intro_bars: int = 4,
    long_drop: bool = False,
) -> Sections:
    """Labels, feels and key shifts for ``bars`` bars in the form ``name``, the intro at most ``intro_bars`` long
    (but where a short piece's one phrase needs two bars before it). ``long_drop``: the drop form's build is a
    whole phrase and its drop two (LONG_DROP_GENRES)."""
    if bars <= 2:
        return Sections(name, ("verse",) * bars, ("normal",) * bars, (0,) * bars)
    intro = min(intro_bars, 1 if bars < 6 else rng.choice((1, 2) if bars < 20 else (2, 4)))
    outro = 0 if bars < 8 else (2 if bars < 12 else rng.choice((1, 2) if bars < 32 else (2, 4)))
    body = bars - intro - outro
    full, spare = divmod(body, PHRASE_BARS)
    if full == 0:
        full, spare = 1, 0
        lengths = [body]
    else:
        lengths = [PHRASE_BARS] * full
    # a bar left over: the outro's, but in a piece that builds to its end the build's (an outro of three bars at 69
    # bpm followed the peak for 10 s)
    builds = dynamics == Dynamics.BUILD and full >= 2
    longer_build = spare == 1 and builds
    if spare == 1:
        outro, spare = outro + (0 if longer_build else 1), 0
    if name == "early-break" and full < 3 and spare < 2 and spare + outro >= 3:
        spare, outro = spare + outro - 1, 1  # a short piece breathes after its peak, then closes in one bar
    # a short phrase of two or three bars before the peak: the build, the half-time bridge, the classic form's
    # breakdown when it has none of its own; elsewhere those bars lengthen the intro (up to four), then the outro
    # (a long drop's build is a whole phrase already: bars to spare lengthen its intro and its outro)
    keeps_short = name == "halftime" or (name == "drop" and not long_drop)
    keeps_short = keeps_short or (name in ("classic", "early-break") and full < 3)
    if spare >= 2 and not keeps_short:
        grow = min(spare, max(0, min(4, intro_bars) - intro))
        intro, spare = intro + grow, spare - grow
        if spare == 1 and builds:
            longer_build, spare = True, 0
        elif spare < 2 or intro_bars >= 4 or full < 2 or long_drop:
            outro, spare = outro + spare, 0
        # else the bars an intro held back (its length is in seconds) are a short phrase before the peak: an outro of
        # five bars at 97 bpm played the peak's chords again for 12 s (suspense heard as a loop); a piece of one
        # phrase keeps it whole
    single = full == 1 and lengths == [PHRASE_BARS] and bars >= RISING_MIN_BARS
    if single and intro < 2:  # two bars of intro before the one phrase (from the outro, else the spare bars)
        if outro >= 2:
            intro, outro = intro + 1, outro - 1
        elif spare >= 2:
            intro, spare = intro + 1, spare - 1
            outro, spare = (outro + 1, 0) if spare == 1 else (outro, spare)
    offsets = [intro + PHRASE_BARS * k for k in range(full)]
    long_drop = long_drop and name == "drop"
    by_length = long_drop and club_form.planned(full, video, dynamics)
    peak = (club_form.last_drop(full, rng) if by_length else
            _peak_phrase(full, offsets, video, dynamics, name, rng, long_drop=long_drop))  # fmt: skip
    # a club track's seed decides whether its build rises out of a breakdown or straight out of the groove
    breath = long_drop and rng.random() < LONG_DROP_BREATH
    club = club_shape(full, peak, by_length=by_length) if long_drop else None
    roles, feels = _roles(full, peak, dynamics, name, _calm_phrases(offsets, video), club=club,
                          breath=breath)  # fmt: skip
    if name == "head":
        roles = _head_roles(roles, peak)
    if longer_build:
        lengths[max(0, peak - 1)] += 1
    if spare >= 2 and dynamics == Dynamics.STEADY:  # one level throughout: the short phrase goes on as the last one
        roles.append(roles[-1])
        feels.append("normal")
        lengths.append(spare)
    elif spare >= 2 and name == "early-break":  # a short piece's breath comes after its peak (unless it builds)
        after = peak if dynamics == Dynamics.BUILD else peak + 1
        role = "breakdown"
        # the form's own breath is there: after it the band comes back (seven bars of keys and pad were heard as the
        # music stopping)
        if after < len(roles) and roles[after] == "breakdown":
            role, after = "bridge", after + 1
        roles.insert(after, role)
        feels.insert(after, "normal")
        lengths.insert(after, spare)
        peak += 1 if after == peak else 0
    elif spare >= 2:
        short = {"halftime": "bridge", "drop": roles[peak - 1] if peak else "verse", "classic": "breakdown"}
        role = short.get(name, "bridge")
        if role == "breakdown" and peak and roles[peak - 1] == "breakdown":
            role = "bridge"  # after the form's own breakdown the band comes back before the peak (not 6 bars of breath)
        roles.insert(peak, role)
        if peak and feels[peak - 1] == "build-end":
            feels[peak - 1] = "normal"  # the short phrase is the whole build
        feels.insert(peak, "build" if name == "drop" else ("halftime" if name == "halftime" else "normal"))
        lengths.insert(peak, spare)
        peak += 1
    labels = ["intro"] * intro
    bar_feels = ["normal"] * intro
    for k, (role, size) in enumerate(zip(roles, lengths, strict=True)):
        labels += [role] * size
        if feels[k] == "build-end":  # the last two bars of the phrase before a drop rise into it
            bar_feels += ["normal"] * max(0, size - 2) + ["build"] * min(2, size)
        else:
            bar_feels += [feels[k]] * size
    labels += ["outro"] * outro
    bar_feels += ["normal"] * outro
    peak_start = intro + sum(lengths[:peak])
    if name == "drop":  # everything lands on the bar a build leads into
        for i in range(1, bars):
            if bar_feels[i - 1] == "build" and bar_feels[i] == "normal":
                bar_feels[i] = "drop"
    shifts = [0] * bars
    if name == "lift":
        lift_at = _last_chorus(labels, peak_start)
        step = rng.choice((1, 2, 2))  # a whole step more often than a half step
        shifts[lift_at:] = [step] * (bars - lift_at)
    # the one phrase's first two bars rise in when it follows the intro; after a short phrase of its own (a bridge, a
    # build) it arrives whole: that phrase led into it, and a drop lands everything at once. A steady piece keeps one
    # level throughout, as the user asked
    rises = single and labels[intro] in ("peak", "chorus") and dynamics != Dynamics.STEADY
    rising = frozenset(range(intro, intro + 2)) if rises else frozenset()
    return Sections(name, tuple(labels), tuple(bar_feels), tuple(shifts), rising)


def _last_chorus(labels: list[str], peak_start: int) -> int:
    """The first bar of the last chorus or peak section from the peak on: where a key lift lands."""
    starts = [
        i for i in range(peak_start, len(labels)) if labels[i] in ("chorus", "peak") and labels[i - 1] != labels[i]
    ]
    return starts[-1] if starts else peak_start


def _peak_phrase(count: int, offsets: list[int], video: list[float] | None, dynamics: Dynamics, name: str,
                 rng: random.Random, *, long_drop: bool = False) -> int:  # fmt: skip
    """Which full phrase is the peak: the user's dynamics first, then the video's most intense phrase; with
    neither, the form decides (the classic form three quarters in, a lift at the end, the others where the seed
    puts them in the second half: a cold open states the hook first as a chorus, and the piece still grows to its
    peak, as the loudness arc asks). A long drop is placed by its two phrases: where the footage is most intense
    over both, or where the seed puts it with room for both."""
    if count <= 1:
        return 0
    if dynamics == Dynamics.BUILD:
        return count - 1
    if dynamics == Dynamics.SETTLE:
        return min(count - 1, max(1, count // 3))
    first = 1 if count < 4 else 2
    if video is not None:
        drop_bars = PHRASE_BARS * (2 if long_drop else 1)

        def score(k: int) -> float:  # the video's most intense phrase, a little later rather than earlier
            span = video[offsets[k] : offsets[k] + drop_bars]
            return sum(span) / max(1, len(span)) + 0.25 * k / count

        return max(range(first, count), key=score)
    if name == "classic":
        return min(count - 1, max(first, round(0.72 * count)))
    if name == "lift":
        return count - 1
    if long_drop and count >= 3:  # the build before it and both of its phrases inside the piece
        # a short club track's drop early or late (every 48 s piece dropped in its fourth phrase: their loudness
        # curves correlated at r = 0.99); a long one drops in its second half, or twice
        earliest = math.ceil((0.3 if count <= 5 else 0.45) * count)
        return rng.randrange(max(1, min(count - 2, earliest)), count - 1)
    return rng.randrange(max(1, math.ceil(0.45 * count)), count)


def _calm_phrases(offsets: list[int], video: list[float] | None) -> set[int]:
    """The phrases where the video is clearly calmer than its most intense ones (under the middle of its range,
    when the range is wide): a chorus there would ignore the footage."""
    if video is None or not offsets:
        return set()
    levels = [sum(span) / len(span) if (span := video[at : at + PHRASE_BARS]) else 0.0 for at in offsets]
    low, high = min(levels), max(levels)
    if high - low < 0.25:
        return set()
    return {k for k, level in enumerate(levels) if level < (low + high) / 2}


def _head_roles(roles: list[str], peak: int) -> list[str]:
    """Head, solos, head: the first and last phrases state the tune (the peak's phrase too, the band's shout
    chorus), every other phrase is a solo over the changes (a verse: the lead's own line, a new one each time).
    Two phrases state the tune twice; one is the peak. From three solos on, the band lays out for the last of them
    (the breakdown: bass, drums and soloist out, the piano and the guitar's answers left), so the tune comes back
    out of a quiet phrase (head, solos and head held one level: the report's loudness range fell from 8.7-14.6 to
    4.4-6.0 LU, two seeds' loudness curves alike)."""
    last = len(roles) - 1
    if last < 1:
        return roles
    played = ["peak" if k == peak else ("chorus" if k in (0, last) else "verse") for k in range(len(roles))]
    solos = [k for k, role in enumerate(played) if role == "verse"]
    if len(solos) >= 3:
        played[solos[-1]] = "breakdown"
    return played


def _roles(count: int, peak: int, dynamics: Dynamics, name: str, calm: set[int], *, club: ClubShape | None = None,
           breath: bool = False) -> tuple[list[str], list[str]]:  # fmt: skip
    """One section label and one feel per full phrase; no chorus before the peak where the video is calm. A club
    track's drops (``club``) are each built into over the whole phrase before it; with ``breath`` a single drop's build
    rises out of a breakdown."""
    if dynamics == Dynamics.STEADY:  # one level throughout: the forms still reorder verse and chorus
        first = "chorus" if name == "hook-first" else "verse"
        other = "verse" if first == "chorus" else "chorus"
        roles = [first if k % 2 == 0 else other for k in range(count)]
        feels = ["halftime" if name == "halftime" and k == count - 2 and count >= 3 else "normal" for k in range(count)]
        if name == "halftime" and count >= 3:
            roles[count - 2] = "bridge"
        return roles, feels
    if count == 1:  # a short piece's one phrase is its peak: a chorus there left 30 s pieces no higher than a verse
        return ["peak"], ["normal"]
    roles = []
    # every drop's phrases are the peak's (a first drop played as a chorus stood no louder than the choruses before it)
    dropped = {start + j for start in club.starts for j in range(club.span)} if club else set()
    after = peak + (club.span if club else 0)  # where the music goes on after the peak
    for k in range(count):
        if k == peak or k in dropped or (count >= 7 and k == peak + 1 and dynamics != Dynamics.BUILD):
            roles.append("peak")
        elif k < peak:
            opening = ("chorus", "verse") if name == "hook-first" else ("verse", "chorus")
            role = "bridge" if k % 6 == 4 and name == "classic" else opening[k % 2]
            roles.append("verse" if role == "chorus" and k in calm else role)
        else:
            roles.append("chorus" if (k - max(peak, after)) % 2 == 0 else "verse")
    feels = ["normal"] * count
    before = peak - 1
    if name == "classic" and before >= 1:
        roles[before] = "breakdown"
    elif name == "early-break":
        if peak >= 3:
            roles[1] = "breakdown"  # the breath comes early; the music then climbs straight to the peak
        elif peak + 1 < count and roles[peak + 1] != "peak":
            roles[peak + 1] = "breakdown"  # or after the peak, before a last chorus
    elif name == "halftime" and before >= 1:
        roles[before], feels[before] = "bridge", "halftime"
    elif name == "drop" and before >= 0:
        feels[before] = "build" if club else "build-end"
        if club and len(club.starts) > 1:
            # a long club track drops again and again: a breakdown after each drop, then the build into the next
            for previous, start in zip(club.starts, club.starts[1:], strict=False):
                feels[start - 1] = feels[previous - 1] = "build"
                for k in range(previous + club.span, start - 1):
                    roles[k] = "breakdown"
        elif breath and before >= 2:
            roles[before - 1] = "breakdown"
    elif name == "hook-first" and count >= 4 and count - 2 > peak + 1:
        roles[count - 2] = "breakdown"  # late: a breath before the last chorus
    elif name == "hook-first" and before >= 1:
        roles[before] = "breakdown"  # or, with the peak late, the breath before it
    hooks = [k for k in range(count) if roles[k] in ("chorus", "peak")]
    verses = [k for k in range(count) if roles[k] == "verse" and k > 0]
    lively = [k for k in verses if k not in calm]  # where the footage allows a chorus
    if count >= 3 and len(hooks) < 2 and lively:  # the hook must come back: the verse nearest the peak sings it
        roles[min(lively, key=lambda k: abs(k - peak))] = "chorus"
    return roles, feels
