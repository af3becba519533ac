"""Text hygiene shared by every stage: what no encoder can write, and what no terminal should be sent."""

from __future__ import annotations

import json
import re
import unicodedata

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 control characters but tab and newline: escape sequences, bells, backspaces, carriage returns.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SOFT_HYPHEN = "\xad"


def scrub(text: str) -> str:
    """Text with lone surrogates (which no encoding can write) replaced by U+FFFD.

    >>> scrub("a\\ud800b")
    'a\\ufffdb'
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def printable(text: str) -> str:
    """Text safe to write to a terminal: control characters (escape sequences among them) and invisible format
    characters (right-to-left overrides and isolates, zero-width spaces and joiners: text that reads other than
    it is) shown as U+FFFD. A soft hyphen stays: it only marks where a word may break.

    >>> printable("red\\x1b[31m alert\\x07")
    'red\\ufffd[31m alert\\ufffd'
    >>> printable("txt.\\u202eexe") == "txt.\\ufffdexe" and printable("a\\u200bb") == "a\\ufffdb"
    True
    """
    text = scrub(text)
    if not text.isascii():
        text = "".join("\ufffd" if _invisible(char) else char for char in text)
    return _CONTROL.sub("\ufffd", text)


def printable_json(data: object) -> str:
    """JSON for a terminal: readable Cyrillic, with invisible format characters written as \\u escapes (the
    same data, which no terminal renders as anything but what it is). JSON escapes control characters itself.

    >>> print(printable_json(["переговоры\u202e"]))
    [
      "переговоры\\u202e"
    ]
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if text.isascii():
        return text
    return "".join(_json_escape(char) if _invisible(char) else char for char in text)


def _invisible(char: str) -> bool:
    return char >= "\x80" and char != _SOFT_HYPHEN and unicodedata.category(char) == "Cf"


def _json_escape(char: str) -> str:
    return json.dumps(char)[1:-1]  # \\u202e; a surrogate pair beyond the first plane
