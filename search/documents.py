"""Load documents from files and folders: .txt, .md, .html/.htm and .jsonl/.jsonl.gz."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from .boilerplate import first_sentence_title
from .decoding import decode_bytes
from .errors import DocumentError
from .formats import Parsed, find_date, parse_html, parse_markdown, parse_plain

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024  # one document file; a JSON Lines corpus may be any size
TEXT_READERS: dict[str, Callable[[str], Parsed]] = {
    ".txt": parse_plain,
    ".text": parse_plain,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
}
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
SkipHandler = Callable[[str, str], None]


@dataclass(frozen=True)
class Document:
    """One searchable document. `id` is stable: the path relative to the folder indexed, or the JSONL id."""

    id: str
    title: str
    text: str
    lang: str = ""
    date: str = ""
    url: str = ""
    path: str = ""

    @property
    def content_hash(self) -> str:
        """A fingerprint of everything indexed, so that an unchanged document is not indexed again."""
        fields = (self.title, self.text, self.lang, self.date, self.url, self.path)
        return hashlib.blake2b("\x1f".join(fields).encode("utf-8"), digest_size=16).hexdigest()

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def detect_language(text: str) -> str:
    """'ru', 'en' or 'mixed', from the share of Cyrillic and Latin letters.

    >>> detect_language("Reuters сообщает, что переговоры продолжатся")
    'ru'
    """
    cyrillic = latin = 0
    for ch in text[:50000]:
        if "а" <= ch <= "я" or "А" <= ch <= "Я" or ch in "ёЁ":
            cyrillic += 1
        elif "a" <= ch <= "z" or "A" <= ch <= "Z":
            latin += 1
    total = cyrillic + latin
    if not total:
        return "en"
    share = cyrillic / total
    if share >= 0.8:
        return "ru"
    if share <= 0.2:
        return "en"
    return "mixed"


def is_supported(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in TEXT_READERS or name.endswith(JSONL_SUFFIXES)


def _log_skip(path: str, reason: str) -> None:
    log.warning("skipped %s: %s", path, reason)


def load_documents(path: str | os.PathLike, on_skip: SkipHandler | None = None) -> Iterator[Document]:
    """Yield the documents in a file or, recursively, a folder.

    Files that cannot be read (binary, empty, too large, undecodable, unsupported) are skipped: `on_skip(path,
    reason)` is called for each, and by default a warning is logged. Nothing is skipped silently.
    """
    on_skip = on_skip or _log_skip
    root = Path(path)
    if root.is_dir():
        files = sorted(p for p in root.rglob("*") if p.is_file() and not _hidden(p.relative_to(root)))
        base = root
    elif root.is_file():
        files, base = [root], root.parent
    else:
        raise FileNotFoundError(f"no such file or folder: {root}")
    for file in files:
        if not is_supported(file):
            if root.is_file():
                on_skip(str(file), f"unsupported file type {file.suffix or '(none)'!r}")
            continue
        if file.name.lower().endswith(JSONL_SUFFIXES):
            yield from _read_jsonl(file, on_skip)
            continue
        try:
            yield read_file(file, file.relative_to(base).as_posix())
        except (DocumentError, OSError) as error:
            on_skip(str(file), _reason(error))


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def read_file(file: Path, doc_id: str) -> Document:
    """Read one .txt/.md/.html file as a document, or raise `DocumentError`."""
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DocumentError(f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    text = decode_bytes(file.read_bytes())
    parsed = TEXT_READERS[file.suffix.lower()](text)
    if not parsed.text.strip() and not parsed.title.strip():
        raise DocumentError("no text found")
    return make_document(doc_id, parsed.title, parsed.text, lang=parsed.lang, date=parsed.date,
                         url=parsed.url, path=str(file.resolve()))


def make_document(doc_id: str, title: str, text: str, lang: str = "", date: str = "", url: str = "",
                  path: str = "") -> Document:
    """A Document with the gaps filled: a title from the first sentence, the language from the letters."""
    text = text.strip()
    title = " ".join(title.split()) or first_sentence_title(text)
    if lang not in ("ru", "en", "mixed"):
        lang = detect_language(title + " " + text)
    return Document(id=doc_id, title=title, text=text, lang=lang, date=find_date(date) if date else "",
                    url=url, path=path)


def _read_jsonl(file: Path, on_skip: SkipHandler) -> Iterator[Document]:
    opener = gzip.open if file.name.lower().endswith(".gz") else open
    try:
        with opener(file, "rt", encoding="utf-8-sig", errors="strict") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    yield _jsonl_record(json.loads(line), file, number)
                except (ValueError, TypeError, AttributeError) as error:
                    on_skip(f"{file}:{number}", str(error) or type(error).__name__)
    except (OSError, EOFError, UnicodeDecodeError) as error:
        on_skip(str(file), f"unreadable JSON Lines: {error}")


def _jsonl_record(record: dict, file: Path, number: int) -> Document:
    if not isinstance(record, dict):
        raise DocumentError("a JSON Lines record must be an object")
    text = record.get("text") or record.get("body") or ""
    title = record.get("title") or ""
    if not isinstance(text, str) or not isinstance(title, str):
        raise DocumentError("'title' and 'text' must be strings")
    if not text.strip() and not title.strip():
        raise DocumentError("record has no text")
    doc_id = str(record.get("id") or f"{file.name}:{number}")
    return make_document(doc_id, title, text, lang=str(record.get("lang") or ""),
                         date=str(record.get("date") or ""), url=str(record.get("url") or ""),
                         path=str(file.resolve()))
