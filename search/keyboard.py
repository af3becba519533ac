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
