"""Index generations on disk, swapped in atomically, each with a manifest of its files' checksums.

    index/
      WRITE.lock         held by the one process writing (search.store.locking)
      CURRENT            the name of the live generation (replaced with os.replace: atomic)
      gen-<ns>/          a complete Whoosh index plus its manifest; never changed once published
      gen-<ns>.tmp/      a build or update in progress; never read, removed by the next writer

Every write, a full build or an update of a few documents, makes a new generation and then points CURRENT at it.
An update starts from hard links to the live generation's files (Whoosh never changes a segment file once
written: deletions live in its table of contents), so it costs no copy, and a failure anywhere (a full disk, a
crash, Ctrl-C) leaves the live generation as it was. The generation before the live one is kept, for readers
that still have it open.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import zlib
from pathlib import Path

from ..errors import IndexDamagedError, IndexNotFoundError

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
PREFIX = "gen-"
TMP_SUFFIX = ".tmp"
UNCHECKED = (MANIFEST, "MAIN_WRITELOCK")  # files a generation holds outside its checksums
_CHUNK = 1 << 20


def current_generation(root: Path) -> Path | None:
    """The live generation's folder, or None when the index has never been built.

    Raises `IndexDamagedError` when CURRENT exists but does not name a generation (empty, binary, a folder).
    """
    pointer = root / CURRENT
    try:
        name = pointer.read_bytes().decode("utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        orphans = published(root)
        if orphans:
            # Generations without a CURRENT are an index that lost its pointer, not a folder to build in afresh.
            newest = orphans[-1]
            raise IndexDamagedError(
                f"The index at {root} has no {CURRENT} naming its live generation, but holds {newest.name}. "
                f"Make it live with: bilingual-search restore {newest} --index {root} (or rebuild it with: "
                f"bilingual-search index PATH --index {root} --rebuild)") from None
        return None
    except (IsADirectoryError, UnicodeDecodeError, OSError) as error:
        raise IndexDamagedError(f"{pointer} cannot be read ({_why(error)}). {rebuild_hint(root)}") from None
    if not name.startswith(PREFIX) or "/" in name or "\\" in name or name.endswith(TMP_SUFFIX):
        raise IndexDamagedError(f"{pointer} does not name a generation ({name[:40]!r}). {rebuild_hint(root)}")
    return root / name


def live_generation(root: Path) -> Path | None:
    """The live generation's folder, or None when the index has never been built; `IndexDamagedError` when
    CURRENT cannot be read, names a folder that is not there, or is missing beside published generations."""
    live = current_generation(root)
    if live is not None and not live.is_dir():
        raise IndexDamagedError(f"{root / CURRENT} names {live.name}, which is not there. {rebuild_hint(root)}")
    return live


def missing_index(root: Path) -> IndexNotFoundError:
    """The error for a folder that holds no index."""
    return IndexNotFoundError(f"No index at {root}. Build one with: bilingual-search index PATH --index {root}")


def published(root: Path) -> list[Path]:
    """The published generations in the folder (with a manifest, not in progress), oldest first."""
    try:
        found = [path for path in root.glob(PREFIX + "*")
                 if not path.name.endswith(TMP_SUFFIX) and (path / MANIFEST).is_file()]
    except OSError:
        return []
    return sorted(found, key=_age)


def _age(generation: Path) -> tuple[int, str]:
    stamp = generation.name[len(PREFIX):]
    return (int(stamp) if stamp.isdigit() else 0, generation.name)


def damaged_file(generation: Path, name: str, error: BaseException) -> IndexDamagedError:
    """The error for a file of a generation that cannot be read as what it should hold (its checksum may match:
    written so, or its manifest rewritten to match)."""
    root = generation.parent
    return IndexDamagedError(f"The index at {root} is damaged: {name} cannot be read ({_why(error)}). "
                             f"{rebuild_hint(root)}")


def rebuild_hint(root: Path) -> str:
    return f"Rebuild it with: bilingual-search index PATH --index {root} --rebuild"


def new_generation(root: Path) -> Path:
    """A fresh temporary folder to write the next generation in. Call it holding the write lock: it removes what
    crashed writers left behind."""
    root.mkdir(parents=True, exist_ok=True)
    remove_abandoned(root)
    path = root / f"{PREFIX}{time.time_ns()}{TMP_SUFFIX}"
    path.mkdir()
    return path


def clone(live: Path, building: Path) -> None:
    """Fill a new generation with hard links to the live one's files (copies where links are not supported)."""
    for file in live.iterdir():
        if file.name in UNCHECKED or not file.is_file():
            continue
        try:
            os.link(file, building / file.name)
        except OSError:
            shutil.copy2(file, building / file.name)


def copy(source: Path, building: Path) -> None:
    """Fill a new generation with copies of another one's files, manifest included (a restore from a backup)."""
    for file in source.iterdir():
        if file.is_file() and file.name != "MAIN_WRITELOCK":
            shutil.copy2(file, building / file.name)
            _fsync_file(building / file.name)


def seal(building: Path, manifest: dict, cloned_from: Path | None = None) -> None:
    """Write the manifest, with the size and CRC-32 of every file, and flush it all to disk. Files still hard
    links to those of `cloned_from` keep their recorded checksums instead of being read again."""
    known = read_manifest(cloned_from).get("files", {}) if cloned_from else {}
    files = {}
    for file in sorted(building.iterdir()):
        if file.name in UNCHECKED or not file.is_file():
            continue
        if cloned_from and file.name in known and os.path.samefile(file, cloned_from / file.name):
            files[file.name] = known[file.name]
            continue
        files[file.name] = {"size": file.stat().st_size, "crc32": _crc32(file)}
        _fsync_file(file)
    write_manifest(building, {**manifest, "files": files})


def verify(generation: Path, root: Path, checksums: bool = True) -> dict:
    """The generation's manifest, after checking that its files are all there with their sizes and (unless
    `checksums=False`) their checksums; raises `IndexDamagedError` naming the first file that is not."""
    manifest = read_manifest(generation)
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise IndexDamagedError(f"The index at {root} has no list of its files. {rebuild_hint(root)}")
    for name, expected in files.items():
        path = generation / name
        try:
            size = path.stat().st_size
        except OSError:
            raise IndexDamagedError(f"The index at {root} is missing {name}. {rebuild_hint(root)}") from None
        if not isinstance(expected, dict) or size != expected.get("size"):
            raise IndexDamagedError(
                f"The index at {root} is damaged: {name} has {size:,} bytes, not {expected.get('size')!r}. "
                f"{rebuild_hint(root)}")
        if checksums and _crc32(path) != expected.get("crc32"):
            raise IndexDamagedError(
                f"The index at {root} is damaged: {name} fails its checksum. {rebuild_hint(root)}")
    return manifest


def publish(root: Path, building: Path) -> Path:
    """Make a finished generation the live one, atomically, and drop generations older than the previous one."""
    final = building.with_name(building.name[: -len(TMP_SUFFIX)])
    building.rename(final)
    _fsync_dir(final)
    pointer = root / (CURRENT + TMP_SUFFIX)
    with open(pointer, "w", encoding="utf-8") as f:
        f.write(final.name)
        f.flush()
        os.fsync(f.fileno())
    try:
        previous = current_generation(root)
    except IndexDamagedError:
        previous = None
    os.replace(pointer, root / CURRENT)
    _fsync_dir(root)
    if previous is None:
        # No generation was live: whatever else is here (one that lost its CURRENT) is not ours to delete.
        return final
    keep = {final.name, previous.name}
    for old in root.glob(PREFIX + "*"):
        if old.is_dir() and old.name not in keep and not old.name.endswith(TMP_SUFFIX):
            shutil.rmtree(old, ignore_errors=True)
    return final


def abandon(building: Path) -> None:
    """Remove an unfinished generation."""
    shutil.rmtree(building, ignore_errors=True)


def remove_abandoned(root: Path) -> None:
    """Remove generations left unfinished by a crash (a killed process cannot clean up after itself)."""
    for old in root.glob(PREFIX + "*" + TMP_SUFFIX):
        shutil.rmtree(old, ignore_errors=True)


def read_manifest(generation: Path) -> dict:
    """The generation's manifest, or {} when it is missing or not a JSON object."""
    try:
        manifest = json.loads((generation / MANIFEST).read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def write_manifest(generation: Path, manifest: dict) -> None:
    tmp = generation / (MANIFEST + TMP_SUFFIX)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, ensure_ascii=False, indent=1))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, generation / MANIFEST)


def _crc32(path: Path) -> str:
    crc = 0
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return f"{crc:08x}"


def _why(error: BaseException) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(error, OSError):
        return error.strerror or str(error) or type(error).__name__
    return str(error)[:200] or type(error).__name__


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
