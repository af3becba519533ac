"""Zero-copy reading of Whoosh's segment files.

Whoosh maps each segment file into memory, then wraps every part it opens (postings, terms, stored fields) in
`BytesIO(memoryview)`, and BytesIO copies what it is given: on the RT news index that is ~200 MB of anonymous
memory in every serving process, for data the mapping already holds. `install()` makes Whoosh's compound
storage open its parts as `MappedPart`, which reads straight from the mapped view.
"""

from __future__ import annotations

from whoosh.filedb import compound, structfile


class MemoryFile:
    """A read-only, seekable file over a memoryview, copying only the bytes each read returns."""

    __slots__ = ("_view", "_pos")

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._pos = end
        return self._view[start:end].tobytes()

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        start = end = self._pos
        while end < limit:
            chunk = self._view[end:min(end + 256, limit)].tobytes()
            found = chunk.find(b"\n")
            if found >= 0:
                end += found + 1
                break
            end += len(chunk)
        self._pos = end
        return self._view[start:end].tobytes()

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        pass


class MappedPart(structfile.BufferFile):
    """Whoosh's BufferFile, reading through a MemoryFile instead of a copying BytesIO.

    >>> part = MappedPart(memoryview(b"abc\\ndef"))
    >>> part.read(2), part.readline(), part.tell(), part.get(4, 3)
    (b'ab', b'c\\n', 4, b'def')
    """

    def __init__(self, buf, name=None, onclose=None) -> None:
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = MemoryFile(memoryview(buf))


def install() -> None:
    """Make Whoosh's compound segment storage open its parts without copying them (idempotent)."""
    compound.BufferFile = MappedPart
