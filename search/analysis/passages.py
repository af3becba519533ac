"""A text's passages (its sentences, a hard-wrapped line joined to the next), found once at indexing.

Each passage is stored with the word position it begins at, so that a hit's snippet is chosen from the positions
the postings already hold: the text is not re-read and re-analyzed for every hit, only the passage shown is.

    >>> table = PassageTable.of("Nothing here. Lavrov met Makei.\\n\\nMore text follows")
    >>> table.spans()
    [(0, 13), (14, 31), (33, 50)]
    >>> table.locate([0, 2, 6]).tolist()
    [0, 1, 2]
"""

from __future__ import annotations

import re

import numpy as np

from ..language import RUSSIAN_CAPITALS, RUSSIAN_LOWER, WORD_PATTERN

SCAN_CHARS = 100_000  # how far into a document snippets look: the work of a hit is bounded, not its length
# A document's page shows its text in parts of about this many characters: a 13.5-million-character text made a
# 28 MB page that took 3.25 s of CPU. A part ends at a line break within PART_SLACK characters of its size.
PART_CHARS = 100_000
PART_SLACK = 20_000
# A sentence ends at . ! ? or … (closing quotes and brackets kept with it) before a space, unless it follows an
# initial (E.F., В.) or a lower-case word follows (U.S. officials, т. е. так). A blank line or an indented line
# starts a paragraph. In a hard-wrapped text (Reuters' 70-column lines) a line break alone is a space; elsewhere
# it ends a paragraph, unless it falls mid-sentence: after a word or a comma, before a lower-case word or a
# closing mark ("said its board\nauthorized", "инструменты\n.").
_CAPITAL = "A-Z" + RUSSIAN_CAPITALS
_SENTENCE_END = re.compile(
    rf"[.!?…](?<!\W[{_CAPITAL}].)(?<!^[{_CAPITAL}].)[.!?…]*[»\"”’')\]]*(?=\s+(?![a-z{RUSSIAN_LOWER}]))")
_LINE_BREAK = re.compile(r"\n")
_MID_SENTENCE = re.compile(r"[^\W_]|[,\-–(«“]")  # what a line ends with when its sentence goes on
# What the next line starts with when it goes on a sentence.
_CONTINUES = re.compile(rf"[a-z{RUSSIAN_LOWER}]|[.,;:!?)»”]")
_PARAGRAPH_BREAK = re.compile(r"\n(?=[ \t]*\n|[ \t]+\S)")
WRAPPED_MAX_LINE = 100  # a text whose lines are all this short, and mostly of one length, is hard-wrapped
WRAPPED_FULL_SHARE = 0.6


def is_hard_wrapped(text: str) -> bool:
    """Whether the text's line breaks are a typewriter's (fixed-width lines) rather than paragraphs.

    >>> is_hard_wrapped("OPEC believes world oil prices should\\nbe set around a fixed average price of\\n"
    ...                 "18 dlrs a barrel, Saudi Oil Minister said\\nin a newspaper interview today.")
    True
    >>> is_hard_wrapped("Первый абзац.\\nВторой абзац, куда длиннее первого и не похожий на него.")
    False
    """
    lines = [line.rstrip() for line in text[:SCAN_CHARS].strip().split("\n")]
    if sum(1 for line in lines if line) < 3 or max(map(len, lines)) > WRAPPED_MAX_LINE:
        return False
    # Most lines but the last fill the width; or, since a paragraph's last line is short by nature (before a
    # blank or an indented line) and so is a wire story's first (its dateline cut off), most lines in between.
    inner = [len(line) for line, after in zip(lines[1:], lines[2:], strict=False)
             if line and after.strip() and not after[:1].isspace()]
    return _mostly_full([len(line) for line in lines[:-1] if line]) or (len(inner) >= 2 and _mostly_full(inner))


def _mostly_full(lengths: list[int]) -> bool:
    longest = max(lengths, default=0)
    return bool(lengths) and sum(n >= 0.6 * longest for n in lengths) >= WRAPPED_FULL_SHARE * len(lengths)


def split_passages(text: str) -> list[tuple[int, int]]:
    """(start, end) of each passage in the text's first SCAN_CHARS, surrounding space left out.

    >>> text = ("E.F. Hutton said on Tuesday that it\\nwould sell its stake. U.S. officials\\n"
    ...         "agreed with the sale! Trading\\nwas halted.\\n    Shares fell.")
    >>> [text[s:e] for s, e in split_passages(text)]
    ['E.F. Hutton said on Tuesday that it\\nwould sell its stake.', 'U.S. officials\\nagreed with the sale!', \
'Trading\\nwas halted.', 'Shares fell.']
    """
    text = text[:SCAN_CHARS]
    cuts = sorted({m.end() for m in _SENTENCE_END.finditer(text)}.union(paragraph_breaks(text)))
    spans, start = [], 0
    for cut in cuts + [len(text)]:
        piece = text[start:cut]
        stripped = piece.strip()
        if stripped:
            left = start + piece.index(stripped[0])
            spans.append((left, left + len(stripped)))
        start = cut
    return spans


def paragraph_breaks(text: str) -> list[int]:
    """Where the text's paragraphs end: the line breaks that are not a wrapped line's (see above).

    >>> paragraph_breaks("Exovir Inc said its board\\nauthorized a buyback."), paragraph_breaks("Up.\\nOil fell.")
    ([], [3])
    """
    if is_hard_wrapped(text):
        return [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
    breaks = []
    for match in _LINE_BREAK.finditer(text):
        at = match.start()
        before, after = text[max(0, at - 3):at].rstrip(" \t")[-1:], text[at + 1:at + 9].lstrip(" \t")
        if not (before and after and _MID_SENTENCE.match(before) and _CONTINUES.match(after)
                and not after.startswith(("http", "www."))):
            breaks.append(at)
    return breaks


def text_parts(text: str, size: int = PART_CHARS) -> list[tuple[int, int]]:
    """Where a text is cut into parts for reading (start and end characters), each about `size` characters long
    and ending at a line break where one comes soon enough; one part for a shorter text.

    >>> text_parts("aaaa\\nbbbb\\ncccc", size=4)
    [(0, 5), (5, 10), (10, 14)]
    """
    parts, start = [], 0
    while len(text) - start > size:
        cut = text.find("\n", start + size, start + size + PART_SLACK)
        end = cut + 1 if cut >= 0 else start + size
        parts.append((start, end))
        start = end
    parts.append((start, len(text)))
    return parts


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs, each on one line: a wrapped line joined to the next, blank lines dropped.

    >>> paragraphs("OPEC said its\\nministers met.\\n\\nPrices rose.")
    ['OPEC said its ministers met.', 'Prices rose.']
    """
    pieces, start = [], 0
    for cut in [*paragraph_breaks(text), len(text)]:
        piece = " ".join(text[start:cut].split())
        if piece:
            pieces.append(piece)
        start = cut
    return pieces


class PassageTable:
    """A text's passages as arrays: where each begins and ends (characters) and the word position it begins at."""

    def __init__(self, rows: np.ndarray, end_position: int) -> None:
        self.rows = rows  # one row per passage: first word position, start char, end char
        self.end_position = end_position  # the position after the last word scanned

    @classmethod
    def of(cls, text: str) -> PassageTable:
        rows, words = [], 0
        for start, end in split_passages(text):
            rows.append((words, start, end))
            words += len(WORD_PATTERN.findall(text, start, end))  # no word straddles two passages
        return cls(np.array(rows, dtype=np.uint32).reshape(-1, 3), words)

    def to_bytes(self) -> bytes:
        return np.append(self.rows.ravel(), np.uint32(self.end_position)).astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> PassageTable:
        values = np.frombuffer(data, dtype="<u4")
        if not len(values) % 3 == 1:
            raise ValueError("a passage table is rows of three numbers and an end position")
        return cls(values[:-1].reshape(-1, 3).astype(np.int64), int(values[-1]))

    def __len__(self) -> int:
        return len(self.rows)

    def spans(self) -> list[tuple[int, int]]:
        """(start, end) characters of each passage."""
        return [tuple(row) for row in self.rows[:, 1:].tolist()]

    def locate(self, positions) -> np.ndarray:
        """The passage each word position falls in (-1 past the scanned text)."""
        positions = np.asarray(positions, dtype=np.int64)
        found = np.searchsorted(self.rows[:, 0], positions, side="right") - 1
        found[positions >= self.end_position] = -1
        return found

