"""Text typed with the other keyboard layout, read as meant: ЙЦУКЕН <-> QWERTY, key for key.

"ghbdtn" is «привет» typed with the English layout on, «ыфтсешщты» is "sanctions" typed with the Russian one.
The keys of х ъ ж э б ю ё are punctuation on the English layout ("[];',.`"), so a word typed the wrong way may
hold them: switch whole stretches of text, not the words a tokenizer finds.
"""

from __future__ import annotations

RUSSIAN_KEYS = "ёйцукенгшщзхъфывапролджэячсмитьбю"
ENGLISH_KEYS = "`qwertyuiop[]asdfghjkl;'zxcvbnm,."
# Shifted keys: the capitals; ':' and '"' (Ж, Э) are left alone, as the query language uses them.
RUSSIAN_SHIFTED = "ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЯЧСМИТЬБЮ"  # without Ж and Э
ENGLISH_SHIFTED = "~QWERTYUIOP{}ASDFGHJKLZXCVBNM<>"

_TO_RUSSIAN = str.maketrans(ENGLISH_KEYS + ENGLISH_SHIFTED, RUSSIAN_KEYS + RUSSIAN_SHIFTED)
_TO_ENGLISH = str.maketrans(RUSSIAN_KEYS + RUSSIAN_SHIFTED, ENGLISH_KEYS + ENGLISH_SHIFTED)
_LATIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Letters Russian spelling confuses (unstressed vowels, voicing at the end of a word), besides neighbouring keys.
SPELLING_CONFUSIONS = frozenset({frozenset(pair) for pair in ("оа", "еи", "иы", "зс", "дт", "ея", "ое", "бп", "вф",
                                                              "гк", "жш")})


def _key_positions() -> dict[str, tuple[int, int]]:
    rows = (("ёйцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"), ("`qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,."))
    # In quarter keys: the home row's first letter (ф, a) sits a quarter key right of the top row's second key
    # (й, q), the bottom row's half a key right of the home row's.
    return {ch: (r, 4 * c + (0, 5, 7)[r])
            for layout in rows for r, row in enumerate(layout) for c, ch in enumerate(row)}


_POSITIONS = _key_positions()


def likely_slip(typed: str, meant: str) -> bool:
    """Whether one letter typed for another is a likely slip: a neighbouring key on the same layout, or a
    spelling confusion (о for а, и for е...).

    >>> [likely_slip(a, b) for a, b in ("ие", "ке", "ае", "sd", "кж")]
    [True, True, True, True, False]
    """
    if frozenset((typed, meant)) in SPELLING_CONFUSIONS:
        return True
    a, b = _POSITIONS.get(typed), _POSITIONS.get(meant)
    if a is None or b is None or (typed in _LATIN) != (meant in _LATIN):
        return False
    return abs(a[0] - b[0]) <= 1 and abs(a[1] - b[1]) <= 4


def other_layout(text: str) -> str:
    """`text` as the same keys give on the other layout: Latin letters (and the keys of х ъ ж э б ю ё) become
    Cyrillic when the text's letters are mostly Latin, and Cyrillic becomes Latin otherwise.

    >>> other_layout("ghbdtn"), other_layout("ыфтсешщты"), other_layout(",thtvtyyjcnb")
    ('привет', 'sanctions', 'беременности')
    """
    latin = sum(ch in _LATIN for ch in text)
    cyrillic = sum("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in text)
    if not latin and not cyrillic:
        return text
    return text.translate(_TO_RUSSIAN if latin >= cyrillic else _TO_ENGLISH)
