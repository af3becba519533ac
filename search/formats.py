"""Read one file's text as a document: plain text, Markdown or HTML, each into title, body, date and url."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .boilerplate import extract_main_content

_MONTHS = {
    **{m: i + 1 for i, m in enumerate(
        "january february march april may june july august september october november december".split())},
    **{m[:3]: i + 1 for i, m in enumerate(
        "january february march april may june july august september october november december".split())},
    **{m: i + 1 for i, m in enumerate(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split())},
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    (re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)"), ("y", "m", "d")),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b"), ("d", "m", "y")),
    (re.compile(rf"\b(\d{{1,2}}) ({_MONTH_NAMES})\.? ((?:19|20)\d\d)\b", re.I), ("d", "M", "y")),
    (re.compile(rf"\b({_MONTH_NAMES})\.? (\d{{1,2}}),? ((?:19|20)\d\d)\b", re.I), ("M", "d", "y")),
)
DATE_SEARCH_CHARS = 3000  # a stated date sits in a page's header, not in its body


@dataclass
class Parsed:
    """What a reader found in one file: empty strings where it found nothing."""

    title: str
    text: str
    date: str = ""
    url: str = ""
    lang: str = ""


def find_date(text: str) -> str:
    """The first date stated near the start of a text, as YYYY-MM-DD, or ''.

    >>> find_date("date 2018-05-29 Russian Politics")
    '2018-05-29'
    >>> find_date("Опубликовано 24 января 2022 года")
    '2022-01-24'
    """
    head = text[:DATE_SEARCH_CHARS]
    found = []
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(head):
            parts = dict(zip(order, match.groups(), strict=True))
            month = int(parts["m"]) if "m" in parts else _MONTHS[parts["M"].lower().rstrip(".")]
            try:
                date = dt.date(int(parts["y"]), month, int(parts["d"]))
            except ValueError:
                continue
            found.append((match.start(), date.isoformat()))
    return min(found)[1] if found else ""


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_plain(text: str) -> Parsed:
    """A plain-text file, often a scraped page: headline and main text, boilerplate dropped."""
    content = extract_main_content(_paragraphs(text))
    return Parsed(content.title, "\n\n".join(content.paragraphs), date=find_date(text))


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(\*\*|__|\*|`+|~~)")
_MD_LINE_PREFIX = re.compile(r"^\s{0,3}(?:>\s?|[-*+]\s+|\d+[.)]\s+)")
_TAG = re.compile(r"<[^>]+>")


def parse_markdown(text: str) -> Parsed:
    """A Markdown file: front matter (title, date, url, lang), the first heading as title, markup stripped.

    Markdown is written by people, not scraped, so all of it is kept.
    """
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[match.end():]
    title = meta.get("title", "")
    lines = []
    for line in text.splitlines():
        if line.strip().startswith("```"):
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            if not title and len(heading.group(1)) == 1:
                title = _strip_markdown(heading.group(2))
                continue
            line = heading.group(2)
        lines.append(_strip_markdown(_MD_LINE_PREFIX.sub("", line)))
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if not title:
        heading = next((m.group(2) for m in map(_MD_HEADING.match, text.splitlines()) if m), "")
        title = _strip_markdown(heading)
    date = meta.get("date", "")
    return Parsed(title, body, date=find_date(date) or find_date(text), url=meta.get("url", ""),
                  lang=meta.get("lang", ""))


def _strip_markdown(line: str) -> str:
    line = _MD_IMAGE.sub(r"\1", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _TAG.sub("", line)
    return _MD_MARKUP.sub("", line)


class _HTMLText(HTMLParser):
    """Collects text by block, skipping scripts, styles and page chrome; notes title, h1, dates and url."""

    SKIP = {"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form",
            "button", "select", "iframe"}
    BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "br", "section",
              "article", "blockquote", "pre", "dd", "dt", "figcaption", "main", "table", "ul", "ol", "hr"}
    DATE_META = {"article:published_time", "date", "pubdate", "publishdate", "dc.date", "datepublished",
                 "og:published_time", "publication_date"}
    VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.in_title = self.in_h1 = False
        self.title = self.h1 = self.date = self.url = self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"][:2].lower()
        if tag == "meta":
            name = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if name in self.DATE_META and not self.date:
                self.date = find_date(a.get("content", ""))
            if name == "og:url" and not self.url:
                self.url = a.get("content", "")
        if tag == "link" and a.get("rel", "").lower() == "canonical" and not self.url:
            self.url = a.get("href", "")
        if tag == "time" and a.get("datetime") and not self.date:
            self.date = find_date(a["datetime"])
        if tag in self.VOID:
            if tag in self.BLOCKS:
                self._flush()
            return
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "h1":
            self.in_h1 = True
        if tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "title":
            self.in_title = False
        elif tag == "h1":
            self.in_h1 = False
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        if self.in_h1 and not self.h1.strip():
            self.h1 += data
        self.current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def parse_html(text: str) -> Parsed:
    """An HTML page: <h1> or <title> as title, meta dates and canonical url, main text by block."""
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    parser._flush()
    h1 = " ".join(parser.h1.split())
    blocks = [b for b in parser.blocks if b != h1]
    content = extract_main_content(blocks)
    title = h1 or " ".join(parser.title.split()) or content.title
    paragraphs = content.paragraphs
    if content.title and content.title != title:
        paragraphs = [content.title, *paragraphs]
    return Parsed(title, "\n\n".join(paragraphs), date=parser.date or find_date("\n".join(parser.blocks)),
                  url=parser.url, lang=parser.lang if parser.lang in ("ru", "en") else "")
