"""Each genre's chord progressions (Roman numerals, one chord per bar), for major and for minor keys.

Issue 27 measured 84 % of the bars in the major-key genres on I, IV, V or vi: every genre the same four
chords. Each genre here has the changes its players reach for: lo-fi's ii9-V9-iii7 and secondary dominants,
jazz's ii-V-I with tritone substitutes (bII7, bIII7), the solo pianist's secondary dominants (VI7, II7),
r&b's ninths and elevenths (V11 is the r&b "V9sus"),
rock's borrowed bIII, bVI and bVII, film music's bVI-bVII lift and minor iv, hip-hop's two-chord minor loops. The
mediant (iii) is used sparingly: it shares two notes with the tonic, and where it came back in every progression
(electronic, orchestral) the ear heard the piece in its key (F major heard as A minor). The tonic,
subdominant, dominant and relative minor still carry the key (the form opens on the tonic and closes on a
cadence), but no genre spends more than about half of its bars on them.
"""

from __future__ import annotations

from free_music_ai.engine.music.spec import Genre

Progressions = tuple[tuple[str, ...], ...]

PROGRESSIONS: dict[Genre, tuple[Progressions, Progressions]] = {
    Genre.LOFI: (
        (("IVmaj7", "iii7", "ii9", "iii7"), ("ii9", "V9", "iii7", "bIIImaj7"), ("Imaj9", "iii7", "ii9", "bVII9"),
         ("ii7", "iii7", "IVmaj7", "bVII9"), ("IVmaj7", "III7", "vi9", "ii9"), ("iii7", "ii7", "Imaj7", "II7")),
        (("i9", "iv7", "i9", "bVII9"), ("i7", "bVImaj7", "iv7", "v7"), ("ii7b5", "V7", "i9", "i9"),
         ("i9", "bIIImaj7", "iv7", "bVII9"), ("bVImaj7", "bVII9", "i9", "i9"), ("i7", "v7", "bVImaj7", "iv7")),
    ),
    Genre.CINEMATIC: (
        (("I", "bVI", "bIII", "bVII"), ("vi", "iii", "IV", "ii"), ("I", "iii", "bVI", "bVII"),
         ("ii", "bVII", "I", "iii"),
         ("bVI", "bVII", "I", "iii"), ("I", "III", "vi", "ii"), ("iii", "vi", "ii", "bVII")),
        (("i", "bVI", "bIII", "bVII"), ("i", "iv", "bVI", "V"), ("i", "bVII", "bVI", "bVII"), ("i", "bVI", "iv", "V"),
         ("bVI", "bVII", "i", "i"), ("i", "bIII", "bVII", "iv"), ("i", "v", "bVI", "bIII")),
    ),
    Genre.POP: (
        (("I", "iii", "ii", "IV"), ("vi", "iii", "IV", "ii"), ("iii", "ii", "vi", "V"),
         ("Iadd9", "iii7", "ii7", "bVII"),
         # ii-iii-V lands on I: as ii-iii-V-ii it never touched the tonic, and a C major piece whose chorus and
         # peak were built on it (3 of 21 bars on C) was heard in G major
         ("ii7", "iii7", "V", "I"), ("I", "bVII", "ii", "IV"), ("IVmaj7", "iii7", "ii7", "Iadd9")),
        (("i", "bVI", "bIII", "bVII"), ("i", "iv", "bVII", "bIII"), ("bVI", "bVII", "i", "i"),
         ("i", "bVII", "bVI", "bVII"), ("iv", "bVI", "bVII", "i"), ("i", "bIII", "bVII", "bVI")),
    ),
    Genre.ACOUSTIC: (
        (("I", "iii", "ii", "IV"), ("Isus2", "iii", "ii", "bVII"), ("vi", "iii", "ii", "IV"), ("ii", "iii", "vi", "V"),
         ("IV", "iii", "ii", "iii"), ("I", "II", "ii", "bVII"), ("iii", "ii", "IV", "Isus2")),
        (("i", "bVII", "bVI", "bVII"), ("i", "iv", "i", "V"), ("i", "bIII", "bVII", "iv"), ("bVI", "bIII", "bVII", "i"),
         ("i", "bVI", "bIII", "V"), ("i", "v", "iv", "i")),
    ),
    Genre.AMBIENT: (
        (("Imaj7", "iii7", "IVmaj7", "ii9"), ("ii9", "iii7", "IVmaj7", "Iadd9"), ("IVmaj7", "iii7", "ii9", "iii7"),
         ("Isus2", "ii9", "iii7", "IVadd9"), ("iii7", "ii9", "iii7", "Imaj9"), ("bVIImaj7", "ii9", "Iadd9", "iii7")),
        (("i9", "bVImaj7", "i9", "bVImaj7"), ("i7", "iv7", "bVImaj7", "i7"), ("i", "bVII", "bVI", "i"),
         ("i9", "bIIImaj7", "bVImaj7", "iv9"), ("i", "i", "bVImaj7", "bVImaj7"), ("iv9", "i9", "bVImaj7", "bVII")),
    ),
    Genre.CORPORATE: (
        (("I", "iii", "IV", "ii"), ("ii", "iii", "I", "bVII"), ("Iadd9", "iii7", "ii7", "ii7"),
         ("vi", "iii", "ii", "V"),
         # the suspended dominant resolves home, and the backdoor bVII too (iii-ii-Vsus4-iii never touched the I: a D
         # major piece whose chorus and peak were built on it was heard in A major; ii-iii-bVII-IV's chorus as Bb in F)
         ("iii", "ii", "Vsus4", "Iadd9"), ("I", "iii", "ii", "bVII"), ("ii", "iii", "bVII", "I")),
        (("i", "bVI", "bIII", "bVII"), ("i", "bVII", "bVI", "bVII"), ("bVI", "bVII", "i", "i"),
         ("i", "iv", "bVI", "bVII"), ("i", "bIII", "bVII", "bVI"), ("iv", "i", "bVII", "bIII")),
    ),
    Genre.HIPHOP: (  # loops of two chords (or one and a turn), as a sample is looped
        (("ii7", "iii7", "ii7", "iii7"), ("IVmaj7", "iii7", "IVmaj7", "iii7"), ("vi7", "ii7", "vi7", "ii7"),
         ("Imaj7", "ii7", "Imaj7", "ii7"), ("iii7", "VI7", "ii7", "ii7"), ("IVmaj7", "iii7", "ii7", "iii7")),
        # minor sevenths and plain triads, and the harmonic minor's V7 a dark soul loop turns on: lo-fi's ninths and
        # major sevenths over the same i7-iv7 made the two genres one
        (("i7", "bVI", "i7", "bVI"), ("i7", "iv7", "i7", "V7"), ("i7", "bVII", "bVI", "V7"),
         ("i7", "i7", "iv7", "V7"), ("i7", "v7", "bVI", "V7"), ("iv7", "i7", "bVI", "V7")),
    ),
    Genre.EDM: (
        (("vi", "IV", "ii", "bVII"), ("ii", "bVII", "vi", "Vsus4"), ("vi", "iii", "ii", "bVII"),
         ("IV", "ii", "bVI", "bVII"),
         ("vi", "ii", "IV", "bVII"), ("ii", "iii", "IV", "bVII")),
        (("i", "bVI", "bIII", "bVII"), ("i", "bVII", "bVI", "V"), ("i", "iv", "bVI", "bVII"), ("bVI", "bVII", "i", "i"),
         ("i", "bIII", "bVII", "bVI"), ("iv", "bVI", "bIII", "bVII")),
    ),
    Genre.PIANO: (
        (("I", "iii", "VI7", "ii"), ("Imaj7", "iii7", "ii7", "IVmaj7"),
         ("I", "iii", "vi", "ii", "bVII", "iii", "ii", "V"),
         ("ii7", "VI7", "ii7", "V"), ("I", "ii", "iii", "II7"), ("vi", "ii", "iii", "IV"),
         ("Iadd9", "iii7", "ii7", "bVII")),
        (("i", "iv", "V", "i"), ("i", "bVI", "iv", "V"), ("i", "v", "bVI", "bIII", "iv", "i", "iv", "V"),
         ("i", "bVI", "bIII", "V"), ("iv", "i", "V", "i"), ("i", "bIII", "iv", "V")),
    ),
    Genre.JAZZ: (  # ii-V-I, turnarounds through VI7 and III7, tritone substitutes, the backdoor iv7-bVII7; each
        # major one lands on its Imaj7 or starts from it (four of seven never did: C major was heard as D minor or G)
        (("ii7", "V7", "Imaj7", "VI7"), ("Imaj7", "VI7", "ii7", "bII7"), ("Imaj7", "bIII7", "ii7", "bII7"),
         ("ii7", "bII7", "Imaj7", "Imaj7"), ("iv7", "bVII7", "Imaj7", "III7"), ("Imaj7", "II7", "ii7", "V7"),
         ("IVmaj7", "iv7", "Imaj7", "VI7")),
        (("ii7b5", "V7", "i7", "i7"), ("i7", "iv7", "ii7b5", "V7"), ("i7", "bVImaj7", "ii7b5", "V7"),
         ("i9", "iv9", "bVII7", "bIIImaj7"), ("i7", "i7", "iv9", "V7"), ("bVImaj7", "V7", "i7", "i7")),
    ),
    Genre.ROCK: (  # the borrowed bIII, bVI and bVII of guitar rock; a V now and then (bVII in every progression
        # took the leading tone away and a 75 s piece in G was heard in C). In a major key the flat seventh (and the
        # bVI-bVII climb home) and no bIII: power chords carry no third, so G5-F5-Eb5-Bb5 is G minor's notes and
        # I-bIII-bVII-IV is IV major's (6 of 16 seeds were heard in the parallel minor or in IV; 3 of 24 now). The
        # vi climbs home through the bVII: as vi-IV-I-V, seed 1 sat 65 % of its half-bars on I, IV, V and vi
        (("I", "iii", "IV", "V"), ("I", "bVII", "iii", "IV"), ("bVI", "bVII", "I", "iii"), ("ii", "iii", "IV", "I"),
         ("I", "bVII", "vi", "IV"), ("vi", "bVII", "I", "I"), ("I", "bVII", "ii", "V")),
        (("i", "bVI", "bVII", "i"), ("i", "bVII", "bVI", "bVII"), ("i", "iv", "bVII", "i"), ("i", "bIII", "iv", "bVI"),
         ("bVI", "bVII", "i", "i"), ("i", "bVII", "iv", "iv")),
    ),
    Genre.ORCHESTRAL: (
        (("I", "ii", "bVI", "IV"), ("ii", "V", "bVI", "bVII"), ("IV", "ii", "iv", "I"), ("I", "II", "ii", "bVII"),
         ("bVI", "bVII", "I", "iii"), ("I", "iii", "vi", "ii", "bVI", "bVII", "ii", "V")),
        (("i", "iv", "V", "i"), ("i", "bVI", "bIII", "bVII"), ("i", "bVII", "bVI", "V"), ("iv", "i", "bVI", "V"),
         ("i", "bIII", "iv", "V"), ("bVI", "iv", "i", "V")),
    ),
    Genre.FOLK: (
        (("I", "bVII", "ii", "iii"), ("ii", "iii", "IV", "bVII"), ("I", "iii", "ii", "bVII"),
         ("iii", "ii", "I", "bVII"),
         ("Isus2", "iii", "ii", "IVadd9"), ("ii", "V", "iii", "ii")),
        (("i", "bVII", "bVI", "bVII"), ("i", "bIII", "bVII", "i"), ("bVI", "bVII", "i", "i"),
         ("i", "iv", "bVI", "bVII"), ("i", "bVII", "i", "v"), ("bIII", "bVII", "i", "i")),
    ),
    Genre.RNB: (  # ninths and elevenths throughout; the verses open at home, the choruses move away (below)
        (("Imaj9", "iii7", "ii9", "bVII9"), ("Imaj9", "bVII9", "ii11", "V11"), ("Imaj9", "ii9", "iii7", "ii11"),
         ("Imaj9", "iii7", "IVmaj9", "bVII9"), ("ii11", "V11", "Imaj9", "iii7"), ("Imaj9", "ii11", "bVII9", "ii9")),
        (("i11", "iv9", "i11", "iv9"), ("i9", "bVImaj9", "iv11", "V7sus4"), ("bVImaj9", "bVII9", "i11", "i11"),
         ("i9", "bIIImaj9", "iv11", "bVII11"), ("iv9", "V7", "i11", "i9"), ("i11", "bIIImaj7", "iv9", "bVII9")),
    ),
    Genre.TRAP: (  # dark and static: a minor chord held, the bII or bVI leaned on
        (("vi7", "iii7", "IVmaj7", "ii7"), ("ii7", "iii7", "ii7", "iii7"), ("vi", "iii", "ii", "iii"),
         ("ii", "iii", "vi", "vi"), ("vi7", "iii7", "ii7", "ii7"), ("ii", "iii", "ii", "vi")),
        (("i", "i", "bVI", "V"), ("i", "bII", "i", "bII"), ("i", "iv", "bVI", "V"), ("i", "bVI", "i", "bVI"),
         ("i", "i", "iv", "iv"), ("bVI", "V", "i", "i")),
    ),
    Genre.SUSPENSE: (
        (("vi", "iii", "vi", "iii"), ("vi", "iii", "ii", "iii"), ("ii", "iii", "vi", "iii"), ("iii", "ii", "iii", "V"),
         ("vi", "bVII", "iii", "iii"), ("vi", "ii", "V", "iii")),
        # tension is what the genre is for: plain triads under a warm pad were heard as melancholy (a listening
        # critique: not one chord onset of seeds 1-2 held a minor second or a tritone). The minor chord with its major
        # seventh (the line falling from the tonic through the leading note), the dominant's tritone, the bII and the
        # bV a tritone from home, each between statements of the tonic so the key still stands
        (("i", "imaj7", "bVI", "bVI"), ("i", "bII", "i", "bII"), ("i", "iv", "imaj7", "V7"), ("i", "bVI", "iv", "V7"),
         ("i", "imaj7", "i", "bV"), ("iv", "i", "bII", "V7")),
    ),
}  # fmt: skip

# The progressions of the choruses and peaks where a genre's songs move somewhere else for them, major and minor
# (empty: the same table as the verses). An r&b song's chorus leaves the verse's home for the IV or the vi and finds
# its way back: drawn from one table, a 48 s r&b piece's verse and peak both began IVmaj9-bVII9 (its 4-bar phrases
# 8 bars apart alike: a loop) and no phrase began on its tonic (Ab major heard as Eb major)
# A pop chorus lifts away from its verse the same way: the IV falling to the minor iv borrowed from the parallel minor,
# the backdoor bVII, the VI7 leading to the ii; each touches I, IV, V or vi once, as the
# intro's tonic and the closing cadence already sit on them. The circles come home to the I (iii-VI-ii-V and
# ii-V-iii-VI never did, and with the verse's tonic pedal left out of the chorus a 48 s C major piece was heard in G).
# No ii-III7-vi: the chorus cadenced in the relative minor and happy pieces were heard minor. Drawn from the verses'
# table, a 30 s pop piece's peak was its verse's chords in another order (iii-ii-vi-V against
# vi-iii-IV-ii: its two non-adjacent phrases more than 0.9 alike in chroma) and 62-73 % of its bars sat on I, IV, V or
# vi (seeds 2, 7-9). Every one touches the I: IV-iv-iii-VI7 and iii-vi-ii-bVII never did, and a 48 s F major piece
# whose chorus and peak were built on the first (the F triad in 3 bars of 22) was heard in G minor (a listening
# critique); the IV's fall to iv now lands on I (the minor plagal cadence), and bVI-bVII rises home (the borrowed
# chords keep the four pop chords to 55 % of the bars)
CHORUS_PROGRESSIONS: dict[Genre, tuple[Progressions, Progressions]] = {
    Genre.POP: (
        (("ii7", "iii7", "bVII", "Iadd9"), ("IVmaj7", "iv", "Iadd9", "VI7"), ("bVI", "bVII", "Iadd9", "iii7"),
         ("ii7", "bVII", "Iadd9", "VI7"), ("iii7", "VI7", "ii7", "Iadd9")),
        (),
    ),
    Genre.RNB: (
        (("IVmaj9", "iii7", "ii9", "Imaj9"), ("vi9", "ii9", "bVII9", "Imaj9"), ("IVmaj9", "III7", "vi9", "ii11"),
         ("vi9", "iii7", "IVmaj9", "bVII9")),
        (),
    ),
}  # fmt: skip
