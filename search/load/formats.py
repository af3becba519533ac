"""Read one file's text as a document: plain text, Markdown or HTML, each into title, body, date and url."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ..language import LANGUAGES
from .boilerplate import extract_main_content
from .dates import find_date, parse_date


@dataclass
class Parsed:
    """What a reader found in one file: empty strings where it found nothing."""

    title: str
    text: str
    date: str = ""
    url: str = ""
    lang: str = ""
    source: str = ""
    topics: tuple[str, ...] = ()
    summary: str = ""


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
        first = next((m.group(2) for m in map(_MD_HEADING.match, text.splitlines()) if m), "")
        title = _strip_markdown(first)
    date = meta.get("date", "")
    topics = next((meta[k] for k in ("topics", "keywords", "tags") if meta.get(k)), "").strip("[]")
    return Parsed(title, body, date=parse_date(date) or find_date(date) or find_date(text), url=meta.get("url", ""),
                  lang=meta.get("lang", ""), source=meta.get("source", ""),
                  topics=tuple(t.strip().strip("\"'") for t in topics.split(",") if t.strip().strip("\"'")),
                  summary=meta.get("summary", "") or meta.get("description", ""))


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
        self.title = self.h1 = self.date = self.url = self.lang = self.source = self.summary = ""
        self.topics: tuple[str, ...] = ()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"][:2].lower()
        if tag == "meta":
            name = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if name in self.DATE_META and not self.date:
                self.date = parse_date(a.get("content", "")) or find_date(a.get("content", ""))
            if name == "og:site_name" and not self.source:
                self.source = a.get("content", "").strip()
            if name in ("description", "og:description") and not self.summary:
                self.summary = " ".join(a.get("content", "").split())
            if name in ("keywords", "news_keywords") and not self.topics:
                self.topics = tuple(t.strip() for t in a.get("content", "").split(",") if t.strip())
            if name == "og:url" and not self.url:
                self.url = a.get("content", "")
        if tag == "link" and a.get("rel", "").lower() == "canonical" and not self.url:
            self.url = a.get("href", "")
        if tag == "time" and a.get("datetime") and not self.date:
            self.date = parse_date(a["datetime"]) or find_date(a["datetime"])
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
    """An HTML page: <h1> or <title> as title, meta dates, canonical url, site name, description and keywords,
    main text by block."""
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
                  url=parser.url, lang=parser.lang if parser.lang in LANGUAGES else "", source=parser.source,
                  topics=parser.topics, summary=parser.summary)
