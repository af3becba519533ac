"""Load documents from files and folders: .txt, .md, .html/.htm and .jsonl/.jsonl.gz."""

from __future__ import annotations

import codecs
import functools
import gzip
import hashlib
import json
import logging
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import DocumentError
from ..language import DOCUMENT_LANGS, detect_language
from ..text import scrub
from .boilerplate import first_sentence_title, without_code
from .dates import find_date, parse_date
from .decoding import decode_with_note
from .formats import Parsed, parse_html, parse_markdown, parse_plain

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
# A JSON Lines record's fields, by the names they come under (the first one present wins). Any other field with
# a text, number or true/false value is kept too, as the document's `meta`.
RECORD_FIELDS = {
    "id": ("id",), "title": ("title", "headline"), "text": ("text", "body", "content"), "lang": ("lang", "language"),
    "date": ("date", "published", "datetime", "time"), "url": ("url", "link"),
    "source": ("source", "site", "publisher"), "summary": ("summary", "description", "lead"),
    "topics": ("topics", "keywords", "tags", "categories"),
}
MAX_TOPICS = 100
MAX_TOPIC_CHARS = 100
MAX_META_FIELDS = 20
MAX_META_CHARS = 1000
MAX_SUMMARY_CHARS = 5000
_COMPLETE = "_complete"  # set on a Document make_document made (not a field: replace() drops it)


@dataclass(frozen=True)
class Document:
    """One searchable document. `id` is stable: the path relative to the folder indexed, or the JSONL id.

    `date` is ISO 8601 (see `search.load.dates`). `source` names where it was published (a record's source, else its
    url's site); `topics` are its keywords or topics, for filters and facets; `summary` is shown, not searched;
    `meta` holds a record's other fields as text. `path` is where it came from as it may be shown: relative to
    the folder indexed. `origin` is the file read, on this machine (for `--prune`); it is never published.
    """

    id: str
    title: str
    text: str
    lang: str = ""
    date: str = ""
    url: str = ""
    path: str = ""
    origin: str = field(default="", repr=False)
    source: str = ""
    topics: tuple[str, ...] = ()
    summary: str = ""
    meta: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def content_hash(self) -> str:
        """A fingerprint of everything indexed, so that an unchanged document is not indexed again."""
        fields = (self.title, self.text, self.lang, self.date, self.url, self.path, self.origin, self.source,
                  "\x1e".join(self.topics), self.summary, json.dumps(self.meta, sort_keys=True, ensure_ascii=False))
        data = "\x1f".join(fields).encode("utf-8", "surrogatepass")
        return hashlib.blake2b(data, digest_size=16).hexdigest()

    @property
    def site(self) -> str:
        """Where it was published as a hit shows it: its url's site, else its source.

        >>> Document("1", "t", "x", url="https://www.reuters.com/a", source="reuters").site
        'reuters.com'
        """
        return site_of(self.url) or self.source

    def to_dict(self) -> dict:
        """The published fields (not `origin`)."""
        data = asdict(self)
        del data["origin"]
        data["topics"] = list(self.topics)
        return data


def site_of(url: str) -> str:
    """The site of a url, without www.; '' when it has none."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


# A host with no path, then a whole url (a url inside a later part, ?next=https://..., is the url's own).
_GLUED_URL = re.compile(r"https?://[^/?#\s]+?(https?://.+)", re.I)


def clean_url(url: str) -> str:
    """A url as a scraped record may bring it, repaired: a base glued before a whole second url (a scraper
    that joined the two as strings where it meant to resolve one against the other) gives the second, a url a
    browser can open. Not one collection's fix: any scrape can carry it (RT's corpus has it in 1,265 of 7,217).

    >>> clean_url("https://example.comhttps://example.com/world/article/1")
    'https://example.com/world/article/1'
    >>> clean_url("https://example.com/?next=https://example.org/")
    'https://example.com/?next=https://example.org/'
    """
    url = url.strip()
    glued = _GLUED_URL.match(url)
    return glued.group(1) if glued else url


def is_supported(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in TEXT_READERS or name.endswith(JSONL_SUFFIXES)


def _log_skip(path: str, reason: str) -> None:
    log.warning("skipped %s: %s", path, reason)


def load_documents(path: str | os.PathLike, on_skip: SkipHandler | None = None,
                   on_warning: SkipHandler | None = None, follow_symlinks: bool = False,
                   source: str = "", on_read: Callable[[int], None] | None = None) -> Iterator[Document]:
    """Yield the documents in a file or, recursively, a folder; those that name no source and have no url get
    `source` (a corpus's publisher: "reuters"). `on_read(n)` is told how many bytes of the files (as stored:
    a .gz file's compressed bytes) have been read so far, as they are read: see `input_bytes` for the total.

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
    source = " ".join(scrub(source).split())[:MAX_TOPIC_CHARS]
    for doc in _documents_in(root, files, base, on_skip, on_warning, on_read or (lambda n: None)):
        yield replace(doc, source=source) if source and not doc.source else doc


def input_bytes(path: str | os.PathLike, follow_symlinks: bool = False) -> int:
    """The bytes `load_documents` will read from a file or folder (as stored), for a progress bar's total."""
    root = Path(path)
    files = _files_in(root, lambda *_: None, follow_symlinks) if root.is_dir() else [root]
    return sum(_size(file) for file in files if is_supported(file))


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0


def _read_after(on_read: Callable[[int], None], before: int, nbytes: int) -> None:
    """`on_read` told of `nbytes` read of a file, after `before` bytes of the files read whole."""
    on_read(before + nbytes)


def _documents_in(root: Path, files: list[Path], base: Path, on_skip: SkipHandler,
                  on_warning: SkipHandler, on_read: Callable[[int], None]) -> Iterator[Document]:
    done = 0  # bytes of the files read whole so far
    for file in files:
        if not is_supported(file):
            if root.is_file():
                on_skip(shown(file), f"unsupported file type {shown(Path(file.suffix)) or '(none)'!r}")
            continue
        relative = shown(file.relative_to(base))
        if file.name.lower().endswith(JSONL_SUFFIXES):
            yield from _read_jsonl(file, relative, on_skip, functools.partial(_read_after, on_read, done))
        else:
            try:
                doc, note = read_file(file, relative)
            except (DocumentError, OSError) as error:
                on_skip(shown(file), _reason(error))
                doc = None
            else:
                if note:
                    on_warning(shown(file), note)
            if doc is not None:
                yield doc
        done += _size(file)
        on_read(done)


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
    doc = _searchable(make_document(doc_id, parsed.title, parsed.text, lang=parsed.lang, date=parsed.date,
                                    url=parsed.url, path=doc_id, origin=shown(file.resolve()), source=parsed.source,
                                    topics=parsed.topics, summary=parsed.summary))
    return doc, note


def _searchable(doc: Document) -> Document:
    """The document, or `DocumentError` when cleaning left nothing to search: its text was all page code (a
    line of braces and digits is one), which is skipped with that reason, not indexed empty."""
    if not doc.title.strip() and not doc.text.strip():
        raise DocumentError("nothing but page code (scripts, styles) to index")
    return doc


def make_document(doc_id: str, title: str, text: str, lang: str = "", date: str = "", url: str = "",
                  path: str = "", origin: str = "", source: str = "", topics=(), summary: str = "",
                  meta: dict[str, str] | None = None) -> Document:
    """A Document with the gaps filled and its text cleaned of page code (`without_code`): a title from the
    first sentence, the language from the letters, the date as ISO 8601 (see `search.load.dates`), a glued url
    repaired, the source from the url's site. Lone surrogates (from JSON escapes such as "\\ud800") become
    U+FFFD."""
    doc_id, title, text, url = scrub(doc_id), scrub(title), scrub(text), clean_url(scrub(url))
    text = without_code(text).strip()
    title = " ".join(title[: MAX_TITLE_CHARS * 2].split())[:MAX_TITLE_CHARS] or first_sentence_title(text)
    if lang not in DOCUMENT_LANGS:
        lang = detect_language(title + " " + text)
    date = scrub(date)
    doc = Document(id=doc_id, title=title, text=text, lang=lang, date=(parse_date(date) or find_date(date)) if date
                    else "", url=url, path=path, origin=origin,
                    source=" ".join(scrub(source).split())[:MAX_TOPIC_CHARS] or site_of(url),
                    topics=_topics(topics), summary=" ".join(scrub(summary).split())[:MAX_SUMMARY_CHARS],
                    meta={scrub(k)[:MAX_TOPIC_CHARS]: scrub(v)[:MAX_META_CHARS]
                          for k, v in list((meta or {}).items())[:MAX_META_FIELDS]})
    object.__setattr__(doc, _COMPLETE, True)  # its gaps are filled: `completed` need not fill them again
    return doc


def completed(doc: Document) -> Document:
    """A Document with its gaps filled as `make_document` fills them: the one place that does, also for a
    Document made by hand, which the index completes before it writes it. Filling is idempotent.

    >>> doc = completed(Document(id="x", title="", text="Лавров встретился с Макеем. Потом уехал.", url="https://rt.com/a"))
    >>> doc.title, doc.lang, doc.source, completed(doc) == doc
    ('Лавров встретился с Макеем', 'ru', 'rt.com', True)
    """
    if getattr(doc, _COMPLETE, False):  # made by make_document (every loader's), and not replaced since
        return doc
    return make_document(doc.id, doc.title, doc.text, doc.lang, doc.date, doc.url, doc.path, doc.origin, doc.source,
                         doc.topics, doc.summary, doc.meta)


def _topics(topics) -> tuple[str, ...]:
    """Keywords or topics as a record brings them (a list, or one string of comma-separated ones): each once,
    in order, without commas (they separate topics in the index).

    >>> _topics(["сша", "Россия", "сша", " "]), _topics("oil, opec")
    (('сша', 'Россия'), ('oil', 'opec'))
    """
    if isinstance(topics, str):
        topics = topics.split(",")
    seen: dict[str, str] = {}
    for topic in topics:
        if not isinstance(topic, str | int | float) or isinstance(topic, bool):
            continue
        name = " ".join(scrub(str(topic)).replace(",", " ").split())[:MAX_TOPIC_CHARS]
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return tuple(seen.values())[:MAX_TOPICS]


def _read_jsonl(file: Path, relative: str, on_skip: SkipHandler,
                on_read: Callable[[int], None] = lambda n: None) -> Iterator[Document]:
    """The records of a JSON Lines file, each at most MAX_RECORD_BYTES (a larger one is skipped unread);
    `on_read` is told how far into the file (as stored) the reading is."""
    opener = gzip.open if file.name.lower().endswith(".gz") else open
    origin = shown(file.resolve())
    try:
        with opener(file, "rb") as lines:
            stored = getattr(lines, "fileobj", None) or lines  # a .gz file's compressed bytes
            number = 0
            while line := lines.readline(MAX_RECORD_BYTES + 1):
                number += 1
                if number % 64 == 0:
                    on_read(stored.tell())
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
    found = {name: next((record[key] for key in keys if record.get(key) not in (None, "", [])), None)
             for name, keys in RECORD_FIELDS.items()}
    text, title = found["text"] or "", found["title"] or ""
    if not isinstance(text, str) or not isinstance(title, str):
        raise DocumentError("'title' and 'text' must be strings")
    if not text.strip() and not title.strip():
        raise DocumentError("record has no text")
    doc_id = str(found["id"] or f"{relative}:{number}")
    if not doc_id.strip():
        raise DocumentError("record has an empty id")
    known = {key for keys in RECORD_FIELDS.values() for key in keys}
    meta = {key: _as_text(value) for key, value in record.items()
            if key not in known and isinstance(key, str) and isinstance(value, str | int | float | bool)}
    return _searchable(make_document(doc_id, title, text, lang=_as_text(found["lang"]),
                                     date=_as_text(found["date"]), url=_as_text(found["url"]), path=relative,
                                     origin=origin, source=_as_text(found["source"]),
                                     topics=found["topics"] if isinstance(found["topics"], list | str) else (),
                                     summary=_as_text(found["summary"]),
                                     meta={k: v for k, v in meta.items() if v}))


def _as_text(value) -> str:
    """A record's field as text: a string as it is, a number or true/false written out, anything else ''."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else ""
