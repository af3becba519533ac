"""The term pool writes the postings Whoosh would: the same files, byte for byte, however the postings came (its
small blocks compressed as Whoosh compresses them), and the same postings read back."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search import make_document
from search.store.postings_writer import UNCOMPRESSED_BELOW, TermPoolWriter
from search.store.schema import IndexCodec, fields_of, make_schema

# Every block compressed, as Whoosh's writer does: the files are then Whoosh's byte for byte.
WHOOSH_BYTES = functools.partial(TermPoolWriter, uncompressed_below=0)
WORDS = ("нефть цена баррель ОПЕК Лавров заявил министр переговоры Москва Вашингтон oil price barrel OPEC "
         "minister talks said Moscow Washington rates bank Reuters 18 dlrs С-400 S&P ёлка").split()


def _documents(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 8)))
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 300)))
        docs.append(fields_of(make_document(f"d{i}", title, text or "x")))
    return docs


def _segment_files(folder: Path) -> list[tuple[str, bytes]]:
    """Every file of the index's segments, by what follows the (random) segment name: terms, postings, the
    stored fields, the field lengths and the columns."""
    files = [(path.name.split(".", 1)[1], path.read_bytes()) for path in folder.iterdir() if "." in path.name
             and path.name.startswith("MAIN_")]
    assert {".trm", ".pst", "_stored.col", "_text_len.col", "text.col"} <= {"." * (n in ("trm", "pst")) + n
                                                                            for n, _ in files}
    return sorted(files)


def _write(folder: Path, writer_class, docs: list[dict], pool_limit: int | None = None, segments: int = 1,
           merge_all: bool = False) -> Path:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    per_segment = -(-len(docs) // segments)
    for start in range(0, len(docs), per_segment):
        writer = writer_class(ix, codec=IndexCodec(), compound=False)
        if pool_limit is not None:
            writer.pool.limit = pool_limit
        for fields in docs[start:start + per_segment]:
            writer.add_document(**fields)
        writer.commit(merge=False)
    if merge_all:  # every segment read back through the pool into one
        writer_class(ix, codec=IndexCodec(), compound=False).commit(optimize=True)
    ix.close()
    return folder


@pytest.mark.parametrize("count", [1, 40, 400])
def test_the_same_files_as_whooshs_writer(tmp_path, count):
    """Terms in one document and in hundreds (several blocks of 128), titles with positions, name keys."""
    docs = _documents(count)
    theirs = _write(tmp_path / "whoosh", SegmentWriter, docs)
    ours = _write(tmp_path / "ours", WHOOSH_BYTES, docs)
    assert _segment_files(ours) == _segment_files(theirs)


def test_the_same_files_when_the_pool_spills_to_runs(tmp_path):
    docs = _documents(300, seed=11)
    theirs = _write(tmp_path / "whoosh", SegmentWriter, docs)
    ours = _write(tmp_path / "ours", WHOOSH_BYTES, docs, pool_limit=20_000)
    assert list((tmp_path / "ours").glob("*.tmp/*")) == []  # the runs are removed
    assert _segment_files(ours) == _segment_files(theirs)


def test_the_same_files_when_segments_are_merged(tmp_path):
    """A merge reads every posting of the old segments back into the pool, with new document numbers."""
    docs = _documents(300, seed=5)
    theirs = _write(tmp_path / "whoosh", SegmentWriter, docs, segments=3, merge_all=True)
    ours = _write(tmp_path / "ours", WHOOSH_BYTES, docs, segments=3, merge_all=True)
    assert len([path for path in ours.iterdir() if path.suffix == ".trm"]) == 1  # one segment left
    assert _segment_files(ours) == _segment_files(theirs)


def _postings(folder: Path) -> dict:
    """Every term's postings as Whoosh's reader gives them: documents, weights and values."""
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        found = {}
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            items = []
            while matcher.is_active():
                items.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            found[fieldname, text] = items
    ix.close()
    return found


def test_small_blocks_uncompressed_read_back_the_same(tmp_path):
    """Blocks whose pickle is under UNCOMPRESSED_BELOW bytes are written as they are: Whoosh's reader gives
    every term's postings as from Whoosh's own writer, and the postings file is smaller."""
    docs = _documents(400, seed=3)
    theirs = _write(tmp_path / "whoosh", SegmentWriter, docs)
    ours = _write(tmp_path / "ours", TermPoolWriter, docs)
    assert UNCOMPRESSED_BELOW > 0 and _postings(ours) == _postings(theirs)
    size = {folder: sum(path.stat().st_size for path in folder.glob("*.pst")) for folder in (ours, theirs)}
    assert size[ours] < size[theirs]
