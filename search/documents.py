"""Load documents from files and folders: .txt, .md, .html/.htm and .jsonl/.jsonl.gz."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import logging
import os
import stat
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .boilerplate import first_sentence_title
from .decoding import decode_with_note
from .errors import DocumentError
from .formats import Parsed, find_date, parse_html, parse_markdown, parse_plain
from .text import scrub

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024  # one document file; a JSON Lines corpus may be any size
MAX_RECORD_BYTES = MAX_FILE_BYTES  # one JSON Lines record
MAX_TITLE_CHARS = 1000
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
    """One searchable document. `id` is stable: the path relative to the folder indexed, or the JSONL id.

    `path` is where it came from as it may be shown: relative to the folder indexed. `origin` is the file read,
    on this machine (for `--prune`); it is never published.
    """

    id: str
    title: str
    text: str
    lang: str = ""
    date: str = ""
    url: str = ""
    path: str = ""
    origin: str = field(default="", repr=False)

    @property
    def content_hash(self) -> str:
        """A fingerprint of everything indexed, so that an unchanged document is not indexed again."""
        fields = (self.title, self.text, self.lang, self.date, self.url, self.path, self.origin)
        data = "\x1f".join(fields).encode("utf-8", "surrogatepass")
        return hashlib.blake2b(data, digest_size=16).hexdigest()

    def to_dict(self) -> dict[str, str]:
        """The published fields (not `origin`)."""
        data = asdict(self)
        del data["origin"]
        return data


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


def load_documents(path: str | os.PathLike, on_skip: SkipHandler | None = None,
                   on_warning: SkipHandler | None = None, follow_symlinks: bool = False) -> Iterator[Document]:
    """Yield the documents in a file or, recursively, a folder.

    Files that cannot be read (binary, empty, too large, undecodable, not a regular file, a symbolic link out of
    the folder) are skipped: `on_skip(path, reason)` is called for each, and by default a warning is logged.
    Files read with a repair (a few invalid bytes replaced) are yielded and reported to `on_warning(path, note)`.
    Nothing is skipped silently. Symbolic links are followed only to files inside the folder, unless
    `follow_symlinks=True`.
    """
    on_skip = on_skip or _log_skip
    on_warning = on_warning or _log_skip
    root = Path(path)
    if root.is_dir():
        base = root
        files = _files_in(root, on_skip, follow_symlinks)
    elif root.is_file():
        files, base = [root], root.parent
    elif os.path.lexists(root):
        on_skip(shown(root), "not a regular file")
        return
    else:
        raise FileNotFoundError(f"no such file or folder: {shown(root)}")
    for file in files:
        if not is_supported(file):
            if root.is_file():
                on_skip(shown(file), f"unsupported file type {shown(Path(file.suffix)) or '(none)'!r}")
            continue
        relative = shown(file.relative_to(base))
        if file.name.lower().endswith(JSONL_SUFFIXES):
            yield from _read_jsonl(file, relative, on_skip)
            continue
        try:
            doc, note = read_file(file, relative)
        except (DocumentError, OSError) as error:
            on_skip(shown(file), _reason(error))
            continue
        if note:
            on_warning(shown(file), note)
        yield doc


def shown(path: Path | str) -> str:
    """A path as text that can be printed, stored and published: bytes of a file name that are not UTF-8 (a
    Windows archive's cp1251 names) are written as \\xNN escapes.

    >>> shown(os.fsdecode(b"bad\\xffname.txt"))
    'bad\\\\xffname.txt'
    """
    return os.fsencode(str(path)).decode("utf-8", errors="backslashreplace")


def _files_in(root: Path, on_skip: SkipHandler, follow_symlinks: bool) -> list[Path]:
    """The regular files under `root` in name order, hidden ones left out; links out of the folder, broken
    links and special files (FIFOs, devices, sockets) skipped with the reason when they look like documents."""
    inside = root.resolve()
    files = []
    for folder, dirs, names in os.walk(root, followlinks=follow_symlinks):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            file = Path(folder) / name
            reason = _not_a_document(file, inside, follow_symlinks)
            if reason is None:
                files.append(file)
            elif is_supported(file):
                on_skip(shown(file), reason)
        if not follow_symlinks:
            for name in dirs:
                if (Path(folder) / name).is_symlink():
                    on_skip(shown(Path(folder) / name), "a symbolic link to a folder (--follow-symlinks reads it)")
            dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
    return sorted(files)


def _not_a_document(file: Path, inside: Path, follow_symlinks: bool) -> str | None:
    """Why this directory entry cannot be read as a file of the folder, or None when it can."""
    try:
        info = file.stat()
    except OSError:
        return "a broken symbolic link" if file.is_symlink() else "cannot be read"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a FIFO, device or socket)"
    if file.is_symlink() and not follow_symlinks:
        target = file.resolve()
        if target != inside and inside not in target.parents:
            return "a symbolic link to a file outside the folder (--follow-symlinks reads it)"
    return None


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def read_file(file: Path, doc_id: str) -> tuple[Document, str]:
    """Read one .txt/.md/.html file as a document, or raise `DocumentError`; with a note ("" when there is
    none) when the file needed a repair to be read."""
    with open(file, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise DocumentError(f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
        data = f.read(MAX_FILE_BYTES + 1)
    text, note = decode_with_note(data)
    parsed = TEXT_READERS[file.suffix.lower()](text)
    if not parsed.text.strip() and not parsed.title.strip():
        raise DocumentError("no text found")
    doc = make_document(doc_id, parsed.title, parsed.text, lang=parsed.lang, date=parsed.date, url=parsed.url,
                        path=doc_id, origin=shown(file.resolve()))
    return doc, note


def make_document(doc_id: str, title: str, text: str, lang: str = "", date: str = "", url: str = "",
                  path: str = "", origin: str = "") -> Document:
    """A Document with the gaps filled: a title from the first sentence, the language from the letters.
    Lone surrogates (from JSON escapes such as "\\ud800") become U+FFFD."""
    doc_id, title, text, url = scrub(doc_id), scrub(title), scrub(text), scrub(url)
    text = text.strip()
    title = " ".join(title[: MAX_TITLE_CHARS * 2].split())[:MAX_TITLE_CHARS] or first_sentence_title(text)
    if lang not in ("ru", "en", "mixed"):
        lang = detect_language(title + " " + text)
    return Document(id=doc_id, title=title, text=text, lang=lang, date=find_date(scrub(date)) if date else "",
                    url=url, path=path, origin=origin)


def _read_jsonl(file: Path, relative: str, on_skip: SkipHandler) -> Iterator[Document]:
    """The records of a JSON Lines file, each at most MAX_RECORD_BYTES (a larger one is skipped unread)."""
    opener = gzip.open if file.name.lower().endswith(".gz") else open
    origin = shown(file.resolve())
    try:
        with opener(file, "rb") as lines:
            number = 0
            while line := lines.readline(MAX_RECORD_BYTES + 1):
                number += 1
                where = f"{shown(file)}:{number}"
                if len(line) > MAX_RECORD_BYTES:
                    while line and not line.endswith(b"\n"):
                        line = lines.readline(1 << 20)
                    on_skip(where, f"record too large (over {MAX_RECORD_BYTES:,} bytes)")
                    continue
                if number == 1:
                    line = line.removeprefix(codecs.BOM_UTF8)
                if not line.strip():
                    continue
                try:
                    yield _jsonl_record(json.loads(line.decode("utf-8")), file, relative, origin, number)
                except UnicodeDecodeError:
                    on_skip(where, "not UTF-8")
                except (ValueError, TypeError, AttributeError, RecursionError) as error:
                    on_skip(where, str(error) or type(error).__name__)
    except (OSError, EOFError, zlib.error) as error:
        on_skip(shown(file), f"unreadable JSON Lines: {error}")


def _jsonl_record(record: dict, file: Path, relative: str, origin: str, number: int) -> Document:
    if not isinstance(record, dict):
        raise DocumentError("a JSON Lines record must be an object")
    text = record.get("text") or record.get("body") or ""
    title = record.get("title") or ""
    if not isinstance(text, str) or not isinstance(title, str):
        raise DocumentError("'title' and 'text' must be strings")
    if not text.strip() and not title.strip():
        raise DocumentError("record has no text")
    doc_id = str(record.get("id") or f"{relative}:{number}")
    if not doc_id.strip():
        raise DocumentError("record has an empty id")
    return make_document(doc_id, title, text, lang=str(record.get("lang") or ""),
                         date=str(record.get("date") or ""), url=str(record.get("url") or ""),
                         path=relative, origin=origin)
