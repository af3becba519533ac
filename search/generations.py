"""Index generations on disk, swapped in atomically.

    index/
      CURRENT            the name of the live generation (replaced with os.replace: atomic)
      gen-<ns>/          a complete Whoosh index plus its manifest
      gen-<ns>.tmp/      a build in progress; never read, removed by the next build

A build writes a new generation beside the live one and then points CURRENT at it, so searches running
meanwhile keep working and a crash or Ctrl-C mid-build leaves the previous index intact. The generation
before the live one is kept, for readers that still have it open.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
PREFIX = "gen-"
TMP_SUFFIX = ".tmp"


def current_generation(root: Path) -> Path | None:
    """The live generation's folder, or None when the index has never been built."""
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not name.startswith(PREFIX) or "/" in name or "\\" in name:
        return None
    return root / name


def new_generation(root: Path) -> Path:
    """A fresh temporary folder to build the next generation in."""
    root.mkdir(parents=True, exist_ok=True)
    remove_abandoned(root)
    path = root / f"{PREFIX}{time.time_ns()}{TMP_SUFFIX}"
    path.mkdir()
    return path


def publish(root: Path, building: Path) -> Path:
    """Make a finished build the live generation, atomically, and drop generations older than the previous one."""
    final = building.with_name(building.name[: -len(TMP_SUFFIX)])
    building.rename(final)
    _fsync_dir(final)
    pointer = root / (CURRENT + TMP_SUFFIX)
    with open(pointer, "w", encoding="utf-8") as f:
        f.write(final.name)
        f.flush()
        os.fsync(f.fileno())
    previous = current_generation(root)
    os.replace(pointer, root / CURRENT)
    _fsync_dir(root)
    keep = {final.name, previous.name if previous else ""}
    for old in root.glob(PREFIX + "*"):
        if old.is_dir() and old.name not in keep and not old.name.endswith(TMP_SUFFIX):
            shutil.rmtree(old, ignore_errors=True)
    return final


def abandon(building: Path) -> None:
    """Remove an unfinished build."""
    shutil.rmtree(building, ignore_errors=True)


def remove_abandoned(root: Path) -> None:
    """Remove builds left behind by a crash (a killed process cannot clean up after itself)."""
    for old in root.glob(PREFIX + "*" + TMP_SUFFIX):
        shutil.rmtree(old, ignore_errors=True)


def read_manifest(generation: Path) -> dict:
    try:
        return json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def write_manifest(generation: Path, manifest: dict) -> None:
    tmp = generation / (MANIFEST + TMP_SUFFIX)
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, generation / MANIFEST)


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
