"""A segment's postings written a term at a time, in Whoosh's W3 format, without its per-posting work.

Whoosh's `SegmentWriter` puts every posting of a segment into a sorting pool as a tuple (field, term, document,
weight, value), sorts them all at commit, and hands them one by one to the postings writer, which checks each and
fills a block, asking the file where it stands twice a term. On a news build that was more than a third of a
writer process's time. `TermPool` logs each field's postings in arrays as they come (a number for each term,
the document, the weight: see `FieldLog`); at commit NumPy orders them by term and document, and
`write_postings` puts each term's blocks together at once, the blocks, term infos and terms table as Whoosh
writes them (tests compare every file of a segment written both ways), except that a block too small to gain
from compression is not compressed (see UNCOMPRESSED_BELOW). Past its memory budget the pool writes what it
holds to a run file, sorted by term, and merges the runs at commit.
"""

from __future__ import annotations

import heapq
import itertools
import operator
import pickle
import zlib
from array import array
from collections.abc import Iterator, Sequence
from pickle import dumps
from typing import cast

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import _lengths
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

TermPostings = tuple[str, bytes, Sequence[int], Sequence[float], list | None]  # field, term, documents, weights, values
POSTING_BYTES = 16  # a term number (4), a document number (4) and a weight (8) in a field's arrays
TERM_BYTES = 120  # a term's text, its dict slot and its place in the list of terms
# A block whose pickle is shorter is written uncompressed (Whoosh meant to skip those under 20 bytes, but its
# writer compresses every block): on RT such blocks, half of all, came out larger compressed, and zlib's set-up
# for each was a fifth of writing the postings. Whoosh's reader reads each block's compression from the block.
UNCOMPRESSED_BELOW = 48
_NO_LENGTH = length_to_byte(0)  # the field lengths a block and a term info record when none are kept


class TermPool:
    """Every posting of a segment, by field in the order they came (see `FieldLog`); runs on disk past `limit`
    bytes."""

    def __init__(self, tempstore, limit: int) -> None:
        self.tempstore = tempstore
        self.limit = limit
        self.fieldnames: set[str] = set()
        self.fields: dict[str, FieldLog] = {}
        self.runs: list[str] = []
        self.size = 0

    def add(self, item: tuple) -> None:
        """Whoosh's pool interface: one posting (field, term, document, weight, value)."""
        fieldname, btext, docnum, weight, vbytes = item
        if docnum != -1:  # -1: Whoosh's marker for a spelling word, which our schema has none of
            self.add_terms(fieldname, docnum, ((btext, 0, weight, vbytes),), 1.0)

    def add_terms(self, fieldname: str, docnum: int, items, boost: float) -> int:
        """A document's postings in one field from `field.index(value)`'s (term, frequency, weight, value)
        tuples, the weights times `boost`; returns the sum of the frequencies (the field's length)."""
        terms, freqs, weights, values = [], [], [], []
        for btext, freq, weight, vbytes in items:
            terms.append(btext.decode("utf-8", "surrogateescape"))
            freqs.append(freq)
            weights.append(weight * boost)
            values.append(vbytes)
        self._add(fieldname, docnum, terms, weights, values if any(values) else None)
        return sum(freqs)

    def add_postings(self, fieldname: str, docnum: int, terms: list[str], freqs: list[int], values: list | None,
                     format_boost: float, boost: float) -> int:
        """A document's postings in one field as a format's `postings_of` gives them; each weight is the
        frequency times the two boosts, as Whoosh computes it. Returns the field's length."""
        self._add(fieldname, docnum, terms, [freq * format_boost * boost for freq in freqs], values)
        return sum(freqs)

    def _add(self, fieldname: str, docnum: int, terms: list[str], weights: list[float], values: list | None) -> None:
        log = self.fields.get(fieldname)
        if log is None:
            log = self.fields[fieldname] = FieldLog()
            self.fieldnames.add(fieldname)
        self.size += log.add(docnum, terms, weights, values)
        if self.size > self.limit:
            self._spill()

    def _spill(self) -> None:
        name = f"{id(self):x}-{len(self.runs)}.terms"
        with self.tempstore.create_file(name).raw_file() as f:
            for posting in self._held():
                pickle.dump(posting, f, pickle.HIGHEST_PROTOCOL)
        self.runs.append(name)
        self.fields = {}
        self.size = 0

    def _held(self) -> Iterator[TermPostings]:
        """What the pool holds in memory, by field and term, each term's documents in order."""
        for fieldname in sorted(self.fields):
            yield from self.fields[fieldname].postings(fieldname)

    def _run(self, name: str) -> Iterator[TermPostings]:
        with self.tempstore.open_file(name).raw_file() as f:
            while True:
                try:
                    yield pickle.load(f)
                except EOFError:
                    return

    def postings(self) -> Iterator[TermPostings]:
        """Every term's postings, by field and term: the runs and what is in memory merged, a term's documents
        from the runs in the order they were written."""
        if not self.runs:
            yield from self._held()
            return
        sources = [self._run(name) for name in self.runs] + [self._held()]
        merged = heapq.merge(*sources, key=lambda posting: (posting[0], posting[1]))
        for (fieldname, btext), group in itertools.groupby(merged, key=lambda posting: (posting[0], posting[1])):
            parts = list(group)
            if len(parts) == 1:
                yield parts[0]
                continue
            ids, weights = array("I"), array("d")
            values: list | None = [] if any(part[4] is not None for part in parts) else None
            for _, _, part_ids, part_weights, part_values in parts:
                ids.extend(part_ids)
                weights.extend(part_weights)
                if values is not None:
                    values.extend(part_values if part_values is not None else [b""] * len(part_ids))
            yield fieldname, btext, ids, weights, values

    def cleanup(self) -> None:
        for name in self.runs:
            try:
                self.tempstore.delete_file(name)
            except OSError:
                pass
        self.runs = []
        self.fields = {}


class FieldLog:
    """One field's postings in the order they came: a number for each term (its text kept once), the
    document numbers and weights in arrays, and each posting's value where the field's postings have them.
    Adding a document's postings is a dict lookup a term and three array extensions; the postings are
    ordered by term (in the order of their UTF-8 bytes, as Whoosh keeps them) and document once, at the end."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.terms: list[str] = []
        self.term_numbers = array("I")
        self.documents = array("I")
        self.weights = array("d")
        self.values: list[bytes] | None = None  # one a posting, once any posting of the field has one

    def add(self, docnum: int, terms: list[str], weights: list[float], values: list | None) -> int:
        """A document's postings; returns about how many bytes they take."""
        numbers = self.numbers
        found = [numbers.get(term) for term in terms]
        size = POSTING_BYTES * len(terms)
        if None in found:
            for i, number in enumerate(found):
                if number is None:
                    term = terms[i]
                    number = numbers.get(term)  # the same term twice in one call
                    if number is None:
                        number = numbers[term] = len(self.terms)
                        self.terms.append(term)
                        size += TERM_BYTES + len(term)
                    found[i] = number
        self.term_numbers.extend(cast(list[int], found))  # every None was filled above
        self.documents.extend(array("I", (docnum,)) * len(found))
        self.weights.extend(weights)
        if values is not None or self.values is not None:
            if self.values is None:
                self.values = [b""] * (len(self.documents) - len(found))
            kept = [v or b"" for v in values] if values is not None else [b""] * len(found)
            self.values.extend(kept)
            size += sum(map(len, kept)) + 41 * len(kept)
        return size

    def postings(self, fieldname: str) -> Iterator[TermPostings]:
        """Each term's postings, by term, its documents in order."""
        encoded = [term.encode("utf-8", "surrogateescape") for term in self.terms]
        by_bytes = sorted(range(len(encoded)), key=encoded.__getitem__)
        rank = np.empty(len(encoded), dtype=np.int64)
        rank[by_bytes] = np.arange(len(encoded))
        ranks = rank[np.frombuffer(self.term_numbers, dtype=np.uint32)]
        documents = np.frombuffer(self.documents, dtype=np.uint32)
        order = np.lexsort((documents, ranks))
        documents = documents[order]
        weights = np.frombuffer(self.weights, dtype=np.float64)[order]
        values = [self.values[i] for i in order.tolist()] if self.values is not None else None
        starts = np.searchsorted(ranks[order], np.arange(len(encoded) + 1)).tolist()
        for k, number in enumerate(by_bytes):
            start, end = starts[k], starts[k + 1]
            yield (fieldname, encoded[number], documents[start:end].tolist(), weights[start:end].tolist(),
                   values[start:end] if values is not None else None)


def write_postings(fieldwriter, schema, postings: Iterator[TermPostings],
                   uncompressed_below: int = UNCOMPRESSED_BELOW) -> None:
    """Write every term's postings through a W3 field writer as Whoosh's `add_postings` would one posting at a
    time: the same blocks (pickled, compressed), term infos and terms table (field lengths aside: the codec must
    keep none, see `schema.IndexCodec`). A term's blocks are put together in memory and written at once, the
    file's offset counted rather than asked for (two system calls a term)."""
    postfile = fieldwriter._postfile
    offset = postfile.tell()
    table = _TermsTable(fieldwriter._tindex)
    current = None
    for fieldname, btext, ids, weights, values in postings:
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            postwriter = fieldwriter._postwriter
            if postwriter._byteids or postwriter._inlinelimit > 1:
                raise ValueError("only document-number postings that are never inlined are written here")
            fixed_size = schema[fieldname].format.fixed_value_size()
            current = fieldname
        data, info = _term_bytes(ids, weights, values, fixed_size, postwriter._blocklimit, postwriter._compression,
                                 uncompressed_below)
        postfile.write(data)
        table.add(pack_ushort(fieldwriter._fieldid) + btext, info + pack_long(offset) + pack_int(len(data)))
        offset += len(data)
    if current is not None:
        fieldwriter.finish_field()


class _TermsTable:
    """Whoosh's `OrderedHashWriter.add` (the terms table's rows, in order, and the hashes it writes at close) with
    the file's position counted, not asked for twice a term."""

    def __init__(self, table) -> None:
        self.table = table
        self.position = table.dbfile.tell()

    def add(self, key: bytes, value: bytes) -> None:
        table = self.table
        if key <= table.lastkey:
            raise ValueError(f"Keys must increase: {table.lastkey!r}..{key!r}")
        table.index.append(self.position)
        table.dbfile.write(_lengths.pack(len(key), len(value)) + key + value)
        h = table.hashfn(key)
        table.buckets[h & 255].append((h, self.position))
        table.lastkey = key
        self.position += _lengths.size + len(key) + len(value)


def _term_bytes(ids: Sequence[int], weights: Sequence[float], values: list | None, fixed_size: int | None, limit: int,
                compression: int, uncompressed_below: int) -> tuple[bytes, bytes]:
    """A term's blocks as `W3PostingsWriter` writes them, and its `W3TermInfo` up to the postings' extent."""
    parts = [WHOOSH3_HEADER_MAGIC]
    total = 0.0
    top = 0.0
    for start in range(0, len(ids), limit):
        block_ids = ids[start:start + limit]
        raw = weights[start:start + limit]
        block = array("f", raw)
        total += sum(block)
        most = max(0.0, max(raw))
        top = max(top, most)
        mini_weights: float | tuple[float, ...] | None
        if block.count(1.0) == len(block):  # as W3PostingsWriter._mini_weights, counted in C
            mini_weights = None
        elif block.count(block[0]) == len(block):
            mini_weights = block[0]
        else:
            mini_weights = tuple(block)
        mini_values: tuple | bytes | None
        kept = [v for v in values[start:start + limit] if v] if values is not None else []
        if fixed_size is None or fixed_size < 0:
            mini_values = tuple(kept)
        elif fixed_size == 0:
            mini_values = None
        else:
            mini_values = b"".join(kept)
        deltas = (block_ids[0], *map(operator.sub, block_ids[1:], block_ids[:-1]))
        data = dumps((deltas, mini_weights, mini_values), 2)
        level = compression if len(data) >= uncompressed_below else 0
        if level:
            data = zlib.compress(data, level)
        info = dumps((len(block_ids), block_ids[-1], most, level, _NO_LENGTH, _NO_LENGTH), 2)
        length = len(info) + len(data)
        parts += (pack_int(-length if start + limit >= len(ids) else length), info, data)
    terminfo = W3TermInfo._struct.pack(False, total, len(ids), _NO_LENGTH, _NO_LENGTH, top, ids[0], ids[-1])
    return b"".join(parts), terminfo


class TermPoolWriter(SegmentWriter):
    """Whoosh's segment writer with a `TermPool` for its postings (for codecs that keep no field lengths)."""

    def __init__(self, ix, limitmb: int = 128, uncompressed_below: int = UNCOMPRESSED_BELOW, **kwargs) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.uncompressed_below = uncompressed_below
        if self.codec.length_stats:
            raise ValueError("TermPoolWriter writes no field lengths per block: use a codec without them")
        self.pool.cleanup()
        self.pool: TermPool = TermPool(self._tempstorage, limitmb * 1024 * 1024)

    def add_document(self, **fields) -> None:
        """Whoosh's `add_document`, each field's postings handed to the pool at once (no spelling or vector
        fields: a schema with them is written by Whoosh's own)."""
        schema = self.schema
        if any(schema[name].separate_spelling() or schema[name].vector for name in fields if name in schema):
            return super().add_document(**fields)
        self._check_state()
        perdocwriter = self.perdocwriter
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    postings_of = getattr(field.format, "postings_of", None)
                    if postings_of is not None and isinstance(value, str):
                        terms, freqs, values = postings_of(value)
                        length = self.pool.add_postings(fieldname, docnum, terms, freqs, values,
                                                        field.format.field_boost, boost)
                    else:
                        length = self.pool.add_terms(fieldname, docnum, field.index(value), boost)
                    if not field.scorable:
                        length = 0
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        write_postings(self.fieldwriter, self.schema, self.pool.postings(), self.uncompressed_below)
        self.fieldwriter.close()
