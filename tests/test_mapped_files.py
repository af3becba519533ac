"""Whoosh reads segment parts straight from the mapped file: same results, no copy of the part."""

from whoosh.filedb import compound

from search import Index
from search.mapped_files import MappedPart, MemoryFile


def test_memory_file_reads_like_a_file():
    f = MemoryFile(memoryview(b"line one\nline two\nrest"))
    assert f.readline() == b"line one\n" and f.tell() == 9
    assert f.read(4) == b"line" and f.seek(-4, 2) == 18 and f.read() == b"rest" and f.read(3) == b""
    buffer = bytearray(4)
    f.seek(0)
    assert f.readinto(buffer) == 4 and bytes(buffer) == b"line"


def test_whoosh_opens_segment_parts_without_copying(seed_index, tmp_path, seed_docs):
    assert compound.BufferFile is MappedPart
    copy = Index.build(tmp_path / "copy", seed_docs.values())
    try:
        storage = copy._searcher().reader()._storage
        postings = next(name for name in storage.list() if name.endswith(".pst"))
        part = storage.open_file(postings)
        try:
            assert isinstance(part, MappedPart) and isinstance(part.file, MemoryFile)
        finally:
            part.close()
        same = [h.id for h in seed_index.search("Лавров Макей").hits]
        assert [h.id for h in copy.search("Лавров Макей").hits] == same
    finally:
        copy.close()
