"""The Whoosh schema of an index, and a document as the fields it is indexed under.

Whoosh pickles the schema, analyzers included, into the index: `FORMAT_VERSION` changes whenever the schema or
the analysis does, so that an index written by another version is refused with the command that rebuilds it.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from ..analysis.passages import PassageTable
from ..errors import DocumentError
from ..load.documents import Document, completed
from .analyzers import BilingualFrequency, BilingualPositions, NameKeyFrequency, NameKeyTokenizer, bilingual_analyzer
from .forward import ForwardText

FORMAT_VERSION = 17  # 2: the names field; 3: checksummed manifests, `origin` apart from the published `path`;
#                     5: the vocabulary file that typed queries are corrected against; 6: the passage tables;
#                     7: codes (С-400, F-16, ОПЕК+, S&P) as one term; 8: name keys with their vowels;
#                     9: dates as ISO 8601 in a column, source, topics, summary and a record's other fields;
#                     10: the text's forward index in its column; 11: the text's positions only there;
#                     12: the stages in packages (the schema's analyzers are search.store.analyzers');
#                     13: a capitalized Russian word that can be a person's name keyed by that name (Песков);
#                     14: a name's first h kept in its key (Harlow is not Орлов);
#                     15: a word that can be a surname keyed by it before a first name (Султанов, not Султан);
#                     16: a word inside a fixed expression also under its marked term (~число in «в том числе»);
#                     17: a surname written in the nominative keyed by itself (Морозов, not the family Мороз)


def _title_field() -> TEXT:
    field = TEXT(analyzer=bilingual_analyzer(), stored=True, phrase=True)
    field.format = BilingualPositions(field_boost=field.format.field_boost)
    return field


def _text_field() -> TEXT:
    """The text: term frequencies in the postings, positions by document in the forward index."""
    field = ForwardText(analyzer=bilingual_analyzer(), stored=True, phrase=False)
    field.format = BilingualFrequency(field_boost=field.format.field_boost)
    return field


def _names_field() -> TEXT:
    field = TEXT(analyzer=NameKeyTokenizer(), phrase=False)
    field.format = NameKeyFrequency(field_boost=field.format.field_boost)
    return field


def make_schema() -> Schema:
    """Title and text analyzed bilingually (the title's postings with positions, the text's with frequencies),
    the script-neutral keys of the names in both (for names across scripts); the text's terms with their
    positions by document in its column (the forward index, for phrases, snippets and closeness: see
    `search.store.forward`); the text's passages with the word position each begins at (for snippets: see
    `search.analysis.passages`); the date (ISO 8601) and source in columns for filters, sorting and facets, the topics
    as lowercased keywords for filters; the rest stored as given. `origin` (the file read, on this machine) is
    kept for `--prune` and never published. (The word forms that typed queries are corrected against are kept
    beside, in the generation's vocabulary file: see `search.store.vocabulary`.)"""
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=_title_field(),
        text=_text_field(),
        names=_names_field(),
        lang=ID(stored=True, sortable=True),
        date=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        topics=KEYWORD(stored=True, commas=True, lowercase=True),
        summary=STORED(),
        meta=STORED(),
        url=STORED(),
        passages=STORED(),
        path=ID(stored=True),
        origin=ID(stored=True, sortable=True),
        hash=ID(stored=True, sortable=True),
    )


class IndexCodec(W3Codec):
    """Whoosh's codec without the field lengths of each block of postings, which only Whoosh's own scorers
    read (ours reads whole lists: `search.store.snapshot`): writing them looked up a document's length for every
    posting, a tenth of a build. Segments keep their codec, so it must stay importable as it is named here."""

    length_stats = False


def checked(doc: Document) -> Document:
    """The document, refused with `DocumentError` when it is not a `Document` of text fields (a programming
    error: the write fails) or has no id or nothing to search (`unindexable`: the write skips it)."""
    if not isinstance(doc, Document):
        raise DocumentError(f"only Document objects can be indexed, not {type(doc).__name__}")
    fields = (doc.id, doc.title, doc.text, doc.lang, doc.date, doc.url, doc.path, doc.origin, doc.source,
              doc.summary, *doc.topics, *doc.meta.keys(), *doc.meta.values())
    if not all(isinstance(value, str) for value in fields) or not isinstance(doc.topics, tuple | list):
        raise DocumentError(f"document {doc.id!r}: every field must be text (topics a tuple of text)")
    return doc


def unindexable(doc: Document) -> str:
    """Why a well-formed document cannot be indexed ("" when it can): it has no id, or nothing to search."""
    if not doc.id.strip():
        return f"a document needs a non-empty id (title {doc.title[:60]!r})"
    if not doc.title.strip() and not doc.text.strip():
        return f"document {doc.id!r} has neither a title nor text"
    return ""


def _derived_title(doc: Document) -> bool:
    """Whether the title is only the text's first sentence (made up for display when a document has none)."""
    title = doc.title.rstrip("…").strip()
    return bool(title) and " ".join(doc.text[: len(title) + 200].split()).startswith(" ".join(title.split()))


def fields_of(doc: Document) -> dict[str, Any]:
    """The Whoosh fields of a checked document, its gaps filled as the loader fills them (`completed`: a
    Document made by hand may leave its language, title or source out, or bring a date in another form); its
    hash is of the document as given, so that the next write of the same document finds it unchanged."""
    given_hash = doc.content_hash
    doc = completed(doc)
    return {
        "id": doc.id,
        # A title made from the first sentence is shown, but not indexed again with a title's weight.
        "title": "" if _derived_title(doc) else doc.title,
        "_stored_title": doc.title,
        "text": doc.text, "names": doc.title + "\n\n" + doc.text, "passages": PassageTable.of(doc.text).to_bytes(),
        "lang": doc.lang, "date": doc.date, "source": doc.source,
        "topics": ",".join(t.replace(",", " ") for t in doc.topics), "summary": doc.summary, "meta": doc.meta,
        "url": doc.url, "path": doc.path, "origin": doc.origin, "hash": given_hash,
    }


def document_bytes(doc: Document) -> int:
    return len(doc.title.encode("utf-8", "replace")) + len(doc.text.encode("utf-8", "replace"))


def stored_document(stored: dict) -> Document:
    """The Document a document's stored fields give back (the inverse of `fields_of`)."""
    text_fields = ("id", "title", "text", "lang", "date", "url", "path", "origin", "source", "summary")
    return Document(**{k: stored.get(k) or "" for k in text_fields}, topics=stored_topics(stored),
                    meta=dict(stored.get("meta") or {}))


def stored_topics(stored: dict) -> tuple[str, ...]:
    """A document's topics from its stored fields (kept as one comma-separated value: see `fields_of`)."""
    return tuple(topic for topic in (stored.get("topics") or "").split(",") if topic)
