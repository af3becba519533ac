"""Text hygiene shared by every stage: what no encoder can write, and what no terminal should be sent."""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 control characters but tab and newline: escape sequences, bells, backspaces, carriage returns.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def scrub(text: str) -> str:
    """Text with lone surrogates (which no encoding can write) replaced by U+FFFD.

    >>> scrub("a\\ud800b")
    'a\\ufffdb'
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def printable(text: str) -> str:
    """Text safe to write to a terminal: control characters (escape sequences among them) shown as U+FFFD.

    >>> printable("red\\x1b[31m alert\\x07")
    'red\\ufffd[31m alert\\ufffd'
    """
    return _CONTROL.sub("\ufffd", scrub(text))
