"""BM25 with NumPy over the postings Whoosh stores: Whoosh stays the index of record, scoring is vectorised.

Whoosh scores one posting at a time in Python, which is what made a ten-word headline query cost 100+ ms on a
7,000-article corpus. Here each term's postings are read once per searcher (block by block, then cached as
arrays), scored for every document at once, and combined into dense per-document arrays: a word's lemmas by
their maximum, fields by a weighted sum (the clauses of `search.query.parsing` score themselves with these).
"""

from __future__ import annotations

import copy
import hashlib
import math
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher

from ..analysis.names import name_weight, same_name
from ..language import DOCUMENT_LANGS
from ..load.dates import NO_DATE, epoch_seconds
from .stories import story_numbers
from .vocabulary import Vocabulary

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"title": 2.0, "text": 1.0}
MAX_PREFIX_TERMS = 64
MAX_NAME_SPELLINGS = 256  # spelled keys of one skeleton looked at (Miller, Muller, Mailer, Мюллер...)
MAX_NAME_SPELLINGS_CACHED = 50_000
NAMES_FIELD = "names"
TOPICS_FIELD = "topics"
# Per index: the term postings kept as arrays between queries (8 bytes a posting: RT's text, 3.9 million postings,
# fits in 32 MB; four times RT did not, and read the postings of a headline's common words from disk for every
# query: on 4x RT, 96 MB took the bench's headlines from p95 42.6 to 30.4 ms, ranking alone from 20 to 12 ms).
POSTINGS_CACHE_BYTES = 96 << 20
POSITIONS_CACHE_BYTES = 16 << 20
PHRASES_CACHE_BYTES = 4 << 20
LANG_CODES = ("", *DOCUMENT_LANGS)  # a document's language as a number in the snapshot's array


def as_text(value) -> str:
    """A Whoosh column or lexicon value as text (they come back as bytes or str)."""
    return value.decode("utf-8") if isinstance(value, bytes) else (value or "")


def column_by_id(reader, column: str) -> dict[str, str]:
    """Every live document's id with its value in one of the sortable columns ({} for an empty index, whose
    reader has no columns)."""
    if not reader.doc_count():
        return {}
    ids, values = reader.column_reader("id"), reader.column_reader(column)
    return {as_text(ids[n]): as_text(values[n]) for n in reader.all_doc_ids()}


def live_leaves(searcher: Searcher) -> list:
    """A searcher's segment readers with the document number each starts at. An index without documents has one
    EmptyReader, which has no columns: it has nothing to score either."""
    return [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers() if leaf.reader().doc_count_all()]


class DocumentTable:
    """One generation's per-document arrays: live documents, field lengths and BM25 norms, languages, dates,
    sources, stories. A generation never changes once published, so its searchers share one table (reading the
    columns took a second on RT + Reuters, paid by each searcher's first query)."""

    def __init__(self, searcher: Searcher, generation: Path | None, fields: tuple[str, ...] = ("title", "text")):
        self.size = searcher.doc_count_all()
        leaves = live_leaves(searcher)
        self.live = np.ones(self.size, dtype=bool)
        self.lengths = {name: np.zeros(self.size, dtype=np.float32) for name in fields}
        self.langs = np.zeros(self.size, dtype=np.int8)
        self.dates = np.full(self.size, NO_DATE, dtype=np.int64)  # epoch seconds (see search.load.dates)
        self.sources = np.full(self.size, -1, dtype=np.int32)  # an index into source_names, -1 for none
        self.order_keys = np.zeros(self.size, dtype=np.int64)  # see order_key
        source_codes: dict[str, int] = {}
        for reader, offset in leaves:
            count = reader.doc_count_all()
            if reader.has_deletions():
                for docnum in range(count):
                    if reader.is_deleted(docnum):
                        self.live[offset + docnum] = False
            for name in fields:
                column = self.lengths[name]
                for docnum in range(count):
                    column[offset + docnum] = reader.doc_field_length(docnum, name, 0)
            langs = reader.column_reader("lang")
            for docnum in range(count):
                value = as_text(langs[docnum])
                self.langs[offset + docnum] = LANG_CODES.index(value) if value in LANG_CODES else 0
            ids = reader.column_reader("id")
            for docnum in range(count):
                self.order_keys[offset + docnum] = order_key(as_text(ids[docnum]))
            dates, sources = reader.column_reader("date"), reader.column_reader("source")
            for docnum in range(count):
                self.dates[offset + docnum] = epoch_seconds(as_text(dates[docnum]))
                source = as_text(sources[docnum])
                if source:
                    self.sources[offset + docnum] = source_codes.setdefault(source, len(source_codes))
        self.source_names = list(source_codes)
        self.stories = story_numbers(generation, leaves, self.size)  # see search.store.stories
        for column in self.lengths.values():
            np.nan_to_num(column, copy=False)  # Whoosh reports NaN for some empty fields
        self.documents = int(self.live.sum())
        # Totals, not means: the totals of disjoint parts add up to the whole's (see Statistics).
        self.length_totals = {name: float(column[self.live].sum(dtype=np.float64))
                              for name, column in self.lengths.items()}
        self.average_length = average_lengths(self.documents, self.length_totals)
        self.norms = norms_of(self.lengths, self.average_length)


def order_key(doc_id: str) -> int:
    """The order of documents that score the same: a hash of the id, the same whatever index or shard holds the
    document and wherever the build put it (a document's number depends on the order its writer processes
    finished in).

    >>> order_key("a") == order_key("a") != order_key("b")
    True
    """
    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                          "little", signed=True)


def average_lengths(documents: int, totals: dict[str, float]) -> dict[str, float]:
    """Each field's average length over `documents` (1.0 for none)."""
    return {name: total / documents if documents else 1.0 for name, total in totals.items()}


def norms_of(lengths: dict[str, np.ndarray], average: dict[str, float]) -> dict[str, np.ndarray]:
    """BM25's length normalization of every document in each field, for these average lengths."""
    return {name: K1 * (1 - B + B * column / max(average[name], 1e-9)) for name, column in lengths.items()}


@dataclass(frozen=True)
class Statistics:
    """What BM25 reads of a whole collection: its live documents, each field's total length, and the document
    frequency of each (field, term) asked about. A snapshot gives its own (`ScoringContext.statistics`: a
    query's statistics round); those of disjoint snapshots add up (`+`) to exactly what one index of all their
    documents would give; and a snapshot scores with them (`ScoringContext.scored_with`: the scoring round). See
    docs/scaling.md.
    """

    documents: int
    length_totals: Mapping[str, float]
    # A (field, term)'s document frequency, and any other count the ranking reads of the whole collection
    # (`ScoringContext.count`): keys that begin with "max" or "min" are the extremes of the parts, the rest sums.
    frequencies: Mapping[Any, float] = dataclass_field(default_factory=dict)

    @classmethod
    def empty(cls) -> Statistics:
        """The statistics of no documents: what adding up no shard's gives."""
        return cls(0, {}, {})

    def __add__(self, other: Statistics) -> Statistics:
        frequencies = dict(self.frequencies)
        for key, count in other.frequencies.items():
            frequencies[key] = _combined(key, frequencies.get(key), count)
        totals = {name: self.length_totals.get(name, 0.0) + other.length_totals.get(name, 0.0)
                  for name in {*self.length_totals, *other.length_totals}}
        return Statistics(self.documents + other.documents, totals, frequencies)


def _combined(key: Any, one: float | None, other: float) -> float:
    """Two parts' values of one count: the larger or smaller for a "max" or "min" key, else their sum."""
    if one is None:
        return other
    kind = key[0] if isinstance(key, tuple) and key else None
    if kind == "max":
        return max(one, other)
    if kind == "min":
        return min(one, other)
    return one + other


class WordCounts(Protocol):
    """What reading a query needs of an index (corrections, completions, names): its word forms, and the documents
    of a term and of a name. A `ScoringContext` has them; so has `search.store.union.ShardWords`, which reads the
    shards of a collection as one."""

    def vocabulary(self) -> Vocabulary: ...

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]: ...

    def name_postings(self, key: str) -> tuple[np.ndarray, np.ndarray]: ...


class ScoringContext:
    """A generation's snapshot as one searcher reads it: the per-document arrays (live documents, field lengths,
    languages, dates, sources, stories), term postings through a bounded cache, and BM25 over them with this
    snapshot's own statistics, or with a whole collection's (`scored_with`)."""

    def __init__(self, searcher: Searcher, fields: tuple[str, ...] = ("title", "text"),
                 generation: Path | None = None, vocabulary: Vocabulary | None = None,
                 table: DocumentTable | None = None) -> None:
        self.searcher = searcher
        self.generation = generation
        self.leaves = live_leaves(searcher)
        table = table or DocumentTable(searcher, generation, fields)
        self.table = table
        self.size, self.live, self.lengths, self.norms = table.size, table.live, table.lengths, table.norms
        self.langs, self.dates, self.sources, self.source_names = (table.langs, table.dates, table.sources,
                                                                  table.source_names)
        self.stories, self.documents, self.average_length = table.stories, table.documents, table.average_length
        self.order_keys = table.order_keys  # ties in any ranking are broken by these (see order_key)
        # Read on first use and shared with this snapshot's views (`scored_with`, `recording`: copies, which share
        # this dict): a view's own would be read again for every query.
        self._read_once: dict[str, Any] = {}
        self.leaf_starts = np.array([offset for _, offset in self.leaves], dtype=np.int64)
        # Each segment's forward index: the text field's column (see search.store.forward and search.store.positions).
        self.forward_columns = [reader.column_reader("text", translate=False) if reader.has_column("text")
                                else None for reader, _ in self.leaves]
        # Called between reads of postings and between hits: where the long queries' searcher lets short queries
        # run first (see search.index); None for the searcher of short queries.
        self.give_way: Callable[[], None] | None = None
        self._vocabulary = vocabulary  # None: read from the generation on first use
        self._name_spellings: dict[str, list[str]] = {}  # a name's key -> the index's keys of the same name
        self._postings = BoundedCache(POSTINGS_CACHE_BYTES, lambda entry: entry[0].nbytes + entry[1].nbytes)
        self._positions = BoundedCache(POSITIONS_CACHE_BYTES, _positions_size)
        # Where a translated phrase's words stand together, by (field, terms): the same phrases come again and
        # again («иметь дело» for every "deal"), and checking them by position was a short query's 0.8 ms at p95.
        self.phrases = BoundedCache(PHRASES_CACHE_BYTES, lambda docnums: docnums.nbytes + 100)
        self._counts: Mapping[Any, float] | None = None  # the collection's, when scored with them (scored_with)
        self._recorded: dict[Any, float] | None = None  # the counts read, when recording (recording)

    # -- the two rounds of a query over shards (docs/scaling.md) --------------------------------------------------

    def statistics(self, terms: Iterable[tuple[str, str]] = ()) -> Statistics:
        """This snapshot's statistics: its live documents, field length totals, and the document frequency of
        each (field, term) given."""
        return Statistics(self.documents, dict(self.table.length_totals),
                          {(name, term): len(self.postings(name, term)[0]) for name, term in set(terms)})

    def scored_with(self, statistics: Statistics) -> ScoringContext:
        """This snapshot scoring with a whole collection's statistics (the sum of every shard's): its documents,
        postings and caches, BM25's N, average lengths and document frequencies the collection's. A view for one
        query; the snapshot itself is not changed."""
        view = copy.copy(self)
        view.documents = statistics.documents
        view.average_length = average_lengths(statistics.documents, dict(statistics.length_totals))
        view.norms = norms_of(self.lengths, view.average_length)
        view._counts = statistics.frequencies
        return view

    def recording(self) -> ScoringContext:
        """A view for one query that notes every count the ranking reads of the collection (`count`) with this
        snapshot's own value: run a query on it, and `recorded()` is the snapshot's part of the statistics
        round for that query."""
        view = copy.copy(self)
        view._recorded = {}
        return view

    def recorded(self) -> Statistics:
        """What a recording view noted (see `recording`), with the snapshot's documents and field lengths."""
        return Statistics(self.table.documents, dict(self.table.length_totals), dict(self._recorded or {}))

    def count(self, key: Any, local: float) -> float:
        """A count the ranking reads of the whole collection (a document frequency, the documents of a word's
        translations together, the largest score of its completions), given this snapshot's own `local` value:
        that value for an index on its own, the collection's when scored with a whole collection's statistics
        (`scored_with`: 0 for a key no part noted). Keys are made of the query (terms, clauses), never of document
        numbers, so every shard of a collection asks for the same ones."""
        if self._recorded is not None and key not in self._recorded:
            self._recorded[key] = local
        if self._counts is not None:
            return self._counts.get(key, 0)
        return local

    def vocabulary(self) -> Vocabulary:
        """The index's word forms with their frequencies, read on first use."""
        if self._vocabulary is None:
            self._vocabulary = Vocabulary.of_generation(self.generation)
        return self._vocabulary

    def topic_postings(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Every topic (lowercased) with its live documents, read on first use: (topics, document numbers,
        the topic of each), for counting topics over any set of documents at once."""
        if "topics" not in self._read_once:
            topics: dict[str, int] = {}
            docs: list[np.ndarray] = []
            ids: list[np.ndarray] = []
            for reader, offset in self.leaves:
                for term in reader.lexicon(TOPICS_FIELD):
                    topic = as_text(term)
                    block = np.asarray(_read_all(reader.postings(TOPICS_FIELD, topic))[0], dtype=np.int64) + offset
                    block = block[self.live[block]]
                    docs.append(block)
                    ids.append(np.full(len(block), topics.setdefault(topic, len(topics)), dtype=np.int32))
            self._read_once["topics"] = (list(topics),
                                         np.concatenate(docs) if docs else np.empty(0, dtype=np.int64),
                                         np.concatenate(ids) if ids else np.empty(0, dtype=np.int32))
        return self._read_once["topics"]

    # -- postings ---------------------------------------------------------------------------------------------

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, term frequencies) of a term in a field, live documents only."""
        if self.give_way is not None:
            self.give_way()
        key = (field, term)
        cached = self._postings.get(key)
        if cached is not None:
            return cached
        ids: list[np.ndarray] = []
        freqs: list[np.ndarray] = []
        for reader, offset in self.leaves:
            if (field, term) not in reader:
                continue
            block_ids, block_freqs = _read_all(reader.postings(field, term))
            ids.append(np.asarray(block_ids, dtype=np.int32) + np.int32(offset))
            freqs.append(np.asarray(block_freqs, dtype=np.float32))
        if ids:
            docnums = np.concatenate(ids)
            tf = np.concatenate(freqs)
            keep = self.live[docnums]
            result = (docnums[keep], tf[keep])
        else:
            result = (np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32))
        self._postings.put(key, result)
        return result

    def position_values(self, field: str, term: str) -> tuple[np.ndarray, list[bytes]]:
        """(document numbers, encoded positions) of a term, for the proximity of query words."""
        key = (field, term)
        cached = self._positions.get(key)
        if cached is not None:
            return cached
        ids: list[int] = []
        values: list[bytes] = []
        for reader, offset in self.leaves:
            if (field, term) not in reader:
                continue
            leaf_ids, leaf_values = _read_all(reader.postings(field, term), values=True)
            ids.extend(i + offset for i in leaf_ids)
            values.extend(leaf_values)
        result = (np.asarray(ids, dtype=np.int64), values)
        self._positions.put(key, result)
        return result

    def name_postings(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, frequencies) of a name in the names field: every spelled key there that can be the
        same name as `key` (see `search.analysis.names.same_name`), together."""
        keys = self._spellings_of(key)
        if len(keys) == 1:
            return self.postings(NAMES_FIELD, keys[0])
        tf = np.zeros(self.size, dtype=np.float32)
        for term in keys:
            docnums, freqs = self.postings(NAMES_FIELD, term)
            tf[docnums] += freqs
        docnums = np.flatnonzero(tf)
        return docnums, tf[docnums]

    def name_sureness(self, key: str, docnums: np.ndarray) -> np.ndarray:
        """For each of `docnums` (documents `name_postings(key)` lists), how surely its spelling of the name is
        the key's: the best `name_weight` of the spellings it holds (Makei 1, Maki 0.5 for «Макей»)."""
        sure = np.zeros(self.size, dtype=np.float32)
        for term in self._spellings_of(key):
            found = self.postings(NAMES_FIELD, term)[0]
            sure[found] = np.maximum(sure[found], name_weight(key, term))
        return sure[docnums]

    def _spellings_of(self, key: str) -> list[str]:
        """The names field's spelled keys that can be the same name as `key`, looked up once per snapshot."""
        keys = self._name_spellings.get(key)
        if keys is None:
            skeleton_key = key.partition("|")[0]
            keys = [term for term in self.expand_prefix(NAMES_FIELD, skeleton_key + "|", MAX_NAME_SPELLINGS)
                    if same_name(key, term)]
            if len(self._name_spellings) >= MAX_NAME_SPELLINGS_CACHED:
                self._name_spellings.clear()
            self._name_spellings[key] = keys
        return keys

    def has_term(self, field: str, term: str) -> bool:
        """Whether any segment holds the term: a cheap check, which counts the documents an update deleted (the
        live ones are `postings`)."""
        return any((field, term) in reader for reader, _ in self.leaves)

    def expand_prefix(self, field: str, prefix: str, limit: int = MAX_PREFIX_TERMS) -> list[str]:
        terms: set[str] = set()
        for reader, _ in self.leaves:
            for term in reader.expand_prefix(field, prefix):
                terms.add(as_text(term))
                if len(terms) >= limit:
                    return sorted(terms)
        return sorted(terms)

    # -- scores -----------------------------------------------------------------------------------------------

    def term_scores(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """BM25 of one term in one field for the documents that contain it."""
        docnums, tf = self.postings(field, term)
        if not len(docnums):
            return docnums, tf
        df = self.count((field, term), len(docnums))
        return docnums, self.bm25(field, docnums, tf, df).astype(np.float32)

    def bm25(self, field: str, docnums: np.ndarray, tf: np.ndarray, df: float) -> np.ndarray:
        """BM25 of term frequencies `tf` in `docnums` for a term (or a group of synonyms) that `df` documents
        hold, lengths normalized as in `field`."""
        return idf(self.documents, df) * tf * (K1 + 1) / (tf + self.norms[field][docnums])

    def any_of(self, field: str, terms) -> np.ndarray:
        """Dense scores of the best of several terms (a word's lemmas) in one field."""
        dense = np.zeros(self.size, dtype=np.float32)
        for term in terms:
            docnums, scores = self.term_scores(field, term)
            if len(docnums):
                # A document's postings hold each term once, so this is a plain elementwise maximum.
                dense[docnums] = np.maximum(dense[docnums], scores)
        return dense

    def word(self, fields: tuple[str, ...], terms) -> np.ndarray:
        """Dense scores of a word (the best of its lemmas) over the fields, weighted."""
        total = np.zeros(self.size, dtype=np.float32)
        for field in fields:
            total += FIELD_WEIGHTS[field] * self.any_of(field, terms)
        return total


class BoundedCache:
    """Values by key, least recently used dropped first once their sizes pass `limit` bytes (the last one put
    always stays). Shared by a snapshot and its views for one query, so the bound holds across them."""

    def __init__(self, limit: int, size_of: Callable[[Any], int]) -> None:
        self.limit = limit
        self.size_of = size_of
        self.size = 0
        self._entries: OrderedDict[Any, Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Any) -> Any:
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self._entries[key] = value
        self.size += self.size_of(value)
        while self.size > self.limit and len(self._entries) > 1:
            _, old = self._entries.popitem(last=False)
            self.size -= self.size_of(old)


def _positions_size(entry: tuple[np.ndarray, list[bytes]]) -> int:
    """Roughly what a cached positions entry holds in memory: its ids, and each value with its object header."""
    return entry[0].nbytes + sum(map(len, entry[1])) + 40 * len(entry[1])


def idf(documents: int, df: float) -> float:
    return math.log(1 + (documents - df + 0.5) / (df + 0.5))


def _read_all(matcher, values: bool = False) -> tuple[list[int], list]:
    """All ids of a postings list with their weights (or, with `values`, their encoded positions), a block at
    a time where the matcher allows it."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deleted documents are dropped by the caller's live mask
    ids: list[int] = []
    data: list = []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        while matcher.is_active():
            matcher._read_ids()
            ids.extend(matcher._ids)
            if values:
                matcher._read_values()
                data.extend(matcher._values)
            else:
                matcher._read_weights()
                data.extend(matcher._weights)
            matcher._next_block()
        return ids, data
    while matcher.is_active():  # any other matcher: one posting at a time
        ids.append(matcher.id())
        data.append(matcher.value() if values else matcher.weight())
        matcher.next()
    return ids, data
