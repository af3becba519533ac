"""Tell an article's main text and headline from a scraped page's navigation, tickers, feeds and ads.

The method follows jusText (Pomikálek, 2011) in spirit: each paragraph is classified by its length, whether it
ends like a sentence, and its density of function words; the main content is the largest cluster of "good"
paragraphs, allowing short interruptions (captions, "read also" links) inside it. Nothing here knows any
particular site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..analysis.stopwords import ENGLISH, RUSSIAN
from ..language import fold

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]\s|[-*•·▪]\s)")
_SENTENCE_END = tuple(".!?…»\"”")
_FUNCTION_WORDS = RUSSIAN | ENGLISH

GOOD_MIN_WORDS = 12
GOOD_MIN_FUNCTION_DENSITY = 0.08
NEARGOOD_MIN_WORDS = 5
MAX_GAP = 3  # non-content paragraphs a cluster may span
SECOND_CLUSTER_SHARE = 0.5  # a further cluster is kept when it is at least this share of the largest
TITLE_MIN_WORDS, TITLE_MAX_WORDS = 3, 25
TITLE_MIN_OVERLAP = 0.5
FALLBACK_TITLE_CHARS = 120


@dataclass(frozen=True)
class MainContent:
    """The headline (empty when the page has none) and the paragraphs of the main text."""

    title: str
    paragraphs: list[str]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_list_item(paragraph: str) -> bool:
    return bool(_LIST_MARKER.match(paragraph))


def _classify(paragraph: str) -> str:
    """'good' (article prose), 'neargood' (a short sentence) or 'bad' (navigation, tickers, lists)."""
    words = _words(paragraph)
    if _is_list_item(paragraph) or not words:
        return "bad"
    ends_sentence = paragraph.rstrip().endswith(_SENTENCE_END)
    density = sum(fold(w) in _FUNCTION_WORDS for w in words) / len(words)
    if ends_sentence and len(words) >= GOOD_MIN_WORDS and density >= GOOD_MIN_FUNCTION_DENSITY:
        return "good"
    if ends_sentence and len(words) >= NEARGOOD_MIN_WORDS:
        return "neargood"
    return "bad"


def _clusters(classes: list[str]) -> list[tuple[int, int]]:
    """Spans [start, end) of good paragraphs separated by at most MAX_GAP others, widened by adjacent neargood."""
    spans: list[list[int]] = []
    for i, cls in enumerate(classes):
        if cls != "good":
            continue
        if spans and i - spans[-1][1] <= MAX_GAP:
            spans[-1][1] = i + 1
        else:
            spans.append([i, i + 1])
    for span in spans:
        while span[0] > 0 and classes[span[0] - 1] == "neargood":
            span[0] -= 1
        while span[1] < len(classes) and classes[span[1]] == "neargood":
            span[1] += 1
    return [(s, e) for s, e in spans]


def _stem_keys(text: str) -> set[str]:
    """Crude language-neutral stems (first five letters of longer words), enough to compare a headline to text."""
    return {w.lower()[:5] for w in _words(text) if len(w) >= 4}


def _is_duplicate(paragraphs: list[str], i: int) -> bool:
    """Captions repeat: as an image's alt text and again below it, often with a photo credit appended."""
    text = paragraphs[i]
    return any(j != i and (p == text or p.startswith(text)) for j, p in enumerate(paragraphs))


def _headline_shaped(paragraph: str) -> bool:
    words = _words(paragraph)
    stripped = paragraph.strip()
    return (
        TITLE_MIN_WORDS <= len(words) <= TITLE_MAX_WORDS
        and not _is_list_item(stripped)
        and (stripped[0].isupper() or stripped[0] in "«\"“'")
        and not stripped.endswith((".", ",", ";", ":"))
    )


def _find_headline(paragraphs: list[str], content_start: int, body_keys: set[str]) -> int | None:
    """The first headline-shaped paragraph before the content that shares words with it (or directly precedes it).

    A line followed by a numbered or bulleted list before the content is a section label, not the headline.
    """
    last_list_item = max((i for i in range(content_start) if _is_list_item(paragraphs[i])), default=-1)
    for i in range(last_list_item + 1, content_start):
        p = paragraphs[i]
        if not _headline_shaped(p) or _is_duplicate(paragraphs, i):
            continue
        keys = _stem_keys(p)
        overlap = len(keys & body_keys) / len(keys) if keys else 0.0
        if (overlap >= TITLE_MIN_OVERLAP and len(keys & body_keys) >= 2) or i == content_start - 1:
            return i
    return None


def first_sentence_title(text: str) -> str:
    """A title made from the first sentence of a text, cut at a word boundary.

    >>> first_sentence_title("Stocks rose on Monday. Bonds fell.")
    'Stocks rose on Monday'
    """
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?…])(?:\s|$)", text)
    sentence = (match.group(1) if match else text).rstrip(".!?… ")
    if len(sentence) <= FALLBACK_TITLE_CHARS:
        return sentence
    cut = sentence[:FALLBACK_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:—- ") + "…"


def extract_main_content(paragraphs: list[str]) -> MainContent:
    """Pick the headline and the main-text paragraphs out of a page's paragraphs.

    >>> page = ["Home", "News", "Sport", "Markets rally after the central bank cuts rates",
    ...         "Shares rose sharply on Monday after the central bank cut its key rate, and the markets "
    ...         "took that as a sign that the worst of the slowdown was over.", "USD 75.92", "EUR 89.06"]
    >>> content = extract_main_content(page)
    >>> content.title
    'Markets rally after the central bank cuts rates'
    >>> len(content.paragraphs)
    1
    """
    paragraphs = [" ".join(p.split()) for p in paragraphs]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return MainContent("", [])
    classes = [_classify(p) for p in paragraphs]
    clusters = _clusters(classes)
    if not clusters:
        # Nothing reads like article prose (a note, a poem, a list): keep it all.
        title_index = 0 if _headline_shaped(paragraphs[0]) and len(paragraphs) > 1 else None
        body = paragraphs[1:] if title_index == 0 else paragraphs
        return MainContent(paragraphs[0] if title_index == 0 else "", body)

    def weight(span: tuple[int, int]) -> int:
        return sum(len(paragraphs[i]) for i in range(*span) if classes[i] == "good")

    best = max(weight(c) for c in clusters)
    kept = [c for c in clusters if weight(c) >= SECOND_CLUSTER_SHARE * best]
    body_indices = [i for s, e in kept for i in range(s, e) if classes[i] != "bad"]
    body_keys = set().union(*(_stem_keys(paragraphs[i]) for i in body_indices))
    start = kept[0][0]
    title_index = _find_headline(paragraphs, start, body_keys)
    lead = []
    if title_index is not None:
        # Between the headline and the prose: standfirst, lead, a caption worth keeping once.
        for i in range(title_index + 1, start):
            p = paragraphs[i]
            if len(_words(p)) >= 6 and not _is_list_item(p) and not _is_duplicate(paragraphs, i):
                lead.append(p)
    title = paragraphs[title_index] if title_index is not None else ""
    return MainContent(title, lead + [paragraphs[i] for i in body_indices])


# A line of page code (a video player's JavaScript, a style block) rather than prose: this share of its characters
# are code punctuation, and it has a script's marks (a brace, a \\u escape, function, var, or it opens by
# assigning a string). Prose with a tag in it (`a <img ...> b`) is prose: its markup is escaped where shown.
# Two style rules or more make a line a style block too, and two object properties after a brace or a comma a
# script's object (a player's setup, whose long urls dilute its punctuation). On RT and Reuters it drops 4,766
# lines of 444 RT texts (410 video players, the rest social embeds and style blocks; 593 of the lines are the
# players' setup, `return { client: "vast", … file: "…mp4"`, which only the object rule catches) and none of
# Reuters (every dropped line read: sports scores and Reuters' tables have the punctuation, not the marks).
CODE_PUNCTUATION_SHARE = 0.08
MIN_CODE_LINE_CHARS = 24  # a hard-wrapped line of prose may end in 'function."'
_CODE_CHARACTERS = frozenset('{}[]();=<>\\"\'')
_STYLE_RULE = re.compile(r"[\w.#-]\{[^{}]*:[^{}]*\}")
_OBJECT_PROPERTY = re.compile(r"(?:^|[{,]\s*)[a-z]\w*:\s*['\"{(]")  # a lower-case Latin key after { or ,
_STATEMENT = re.compile(r"""[{}]|\\u[0-9A-Fa-f]{4}|\bfunction\b|\bvar\b|^[\w.$]+\s*=\s*["']""")


def is_code_line(line: str) -> bool:
    """Whether a line of a text is page code, not prose.

    >>> is_code_line(' jwplayer.key="kESrsgULvYO7r2MfUelqj3vs+2i8JdQBqjGNmA==";')
    True
    >>> is_code_line('«Мы поддерживаем оппозицию (и не знаем, кто эти люди)», — заявлял Трамп.')
    False
    >>> is_code_line('Net shr 1.20 dlrs vs 1.10 dlrs (restated); revs 12.1 mln vs 11.9 mln')
    False
    >>> is_code_line("body{min-height:500px}.pb-full-screen{z-index: 2147483647; left: 0; top: 0; width: 100%}")
    True
    >>> is_code_line("  return { client: 'vast', tag: 'https://an.example/meta?imp-id=1' + encodeURIComponent("
    ...              "location.href), } })(), file:        'https://cdn.example/video/2017.05/5925b462c46.mp4'")
    True
    """
    stripped = line.strip()
    if len(stripped) < MIN_CODE_LINE_CHARS or not _STATEMENT.search(stripped):
        return False
    if len(_STYLE_RULE.findall(stripped)) >= 2:  # a style block: body{min-height:500px}.embed{z-index: 2; ...}
        return True
    if len(_OBJECT_PROPERTY.findall(stripped)) >= 2:  # a script's object: { client: "vast", file: "…mp4" }
        return True
    code = sum(1 for char in stripped if char in _CODE_CHARACTERS)
    return code >= CODE_PUNCTUATION_SHARE * len(stripped)


def without_code(text: str) -> str:
    r"""A text without its lines of page code (scraped with the article: a player's script, a style block).

    >>> without_code('Удар по авиабазе.\n jwplayer("js-1").setup({ skin: { name: "five" } });\nКонец.')
    'Удар по авиабазе.\nКонец.'
    """
    if not _STATEMENT.search(text):
        return text
    return "\n".join(line for line in text.split("\n") if not is_code_line(line))
