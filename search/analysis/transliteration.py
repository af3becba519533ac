"""Russian typed in Latin letters, read back as Cyrillic: "peregovory" -> «переговоры», "shchuka" -> «щука».

People write Russian in Latin letters informally, without diacritics and without one system: zh, kh or h,
ts, ch, sh, shch or sch, ya or ja, yu or ju, y for ы and й, i for и and й, ' or nothing for ь (so a
consonant may also read with ь after it). Each Latin
chunk has its readings, likeliest first; `spellings` lists the likeliest whole words, and the caller keeps
those the index or the dictionary knows.
"""

from __future__ import annotations

import heapq

# Latin chunk -> its Cyrillic readings, likeliest first. Longer chunks are tried before their prefixes.
READINGS: dict[str, tuple[str, ...]] = {
    "shch": ("щ",), "sch": ("щ", "сч"), "zh": ("ж",), "kh": ("х",), "ts": ("ц", "тс"), "tz": ("ц",),
    "ch": ("ч", "чь"), "sh": ("ш", "шь"), "ya": ("я", "ыа"), "ja": ("я",), "yu": ("ю", "ыу"), "ju": ("ю",),
    "yo": ("ё", "йо"), "jo": ("ё",), "ye": ("е", "ье", "ые"), "ia": ("ия", "я"), "iu": ("ию", "ю"),
    "'": ("ь", "ъ"), "a": ("а",), "b": ("б", "бь"), "c": ("ц", "к"), "d": ("д", "дь"), "e": ("е", "э"), "f": ("ф",),
    "g": ("г",), "h": ("х",), "i": ("и", "й"), "j": ("й", "ж"), "k": ("к",), "l": ("л", "ль"), "m": ("м", "мь"),
    "n": ("н", "нь"), "o": ("о",), "p": ("п", "пь"), "q": ("к",), "r": ("р", "рь"), "s": ("с", "сь"),
    "t": ("т", "ть"), "u": ("у",),
    "v": ("в", "вь"), "w": ("в",), "x": ("кс",), "y": ("ы", "й", "и"), "z": ("з", "зь"),
}
_LONGEST = max(map(len, READINGS))
BEAM = 48


def spellings(word: str, limit: int = 24) -> list[str]:
    """The likeliest Cyrillic spellings of a lower-case Latin word, likeliest first ([] if it has other
    characters).

    >>> spellings("shchuka")[0], spellings("moskva")[0], spellings("garantiyakh")[0]
    ('щука', 'москва', 'гарантиях')
    """
    if not word or any(ch not in READINGS for ch in word):
        return []
    # Beam search over the word: (penalty, spelled so far) at each position; a reading's rank is its penalty,
    # and splitting a chunk ("s" + "h" for "sh") costs one more than reading it whole.
    beams: list[list[tuple[int, str]]] = [[] for _ in range(len(word) + 1)]
    beams[0] = [(0, "")]
    for start in range(len(word)):
        lengths = [n for n in range(min(_LONGEST, len(word) - start), 0, -1) if word[start:start + n] in READINGS]
        for penalty, spelled in heapq.nsmallest(BEAM, beams[start]):
            for length in lengths:
                split = int(length < lengths[0])
                for rank, reading in enumerate(READINGS[word[start:start + length]]):
                    beams[start + length].append((penalty + rank + split, spelled + reading))
    found = heapq.nsmallest(limit, set(beams[len(word)]))
    return list(dict.fromkeys(spelled for _, spelled in found))
