"""Damaged index files: every kind gives one line naming --rebuild, never a traceback or wrong results."""

import gzip
import json
import subprocess
import sys
import zlib

import pytest

from search import Document, Index, IndexDamagedError, IndexNotFoundError, IndexVersionError
from search.store import generations

CLI = [sys.executable, "-m", "search"]


def _cli(*args):
    """The real CLI in its own process, as an operator runs it."""
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True)


def _build(root):
    docs = [Document(id=f"d{i}", title=f"Переговоры {i}", text=f"Переговоры в Женеве, день {i}.", lang="ru")
            for i in range(20)]
    Index.build(root, docs).close()
    return generations.current_generation(root)


def _segment(live):
    return max((f for f in live.iterdir() if f.suffix == ".seg"), key=lambda f: f.stat().st_size)


def _truncate(live):
    segment = _segment(live)
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])


def _flip(live):
    segment = _segment(live)
    data = bytearray(segment.read_bytes())
    for i in range(100, len(data), 97):
        data[i] ^= 0xFF
    segment.write_bytes(bytes(data))


def _empty_current(live):
    (live.parent / "CURRENT").write_text("", encoding="utf-8")


def _binary_current(live):
    (live.parent / "CURRENT").write_bytes(b"\xff\xfe\x00gen")


def _current_a_folder(live):
    (live.parent / "CURRENT").unlink()
    (live.parent / "CURRENT").mkdir()


def _manifest_a_list(live):
    (live / generations.MANIFEST).write_text("[1, 2]", encoding="utf-8")


def _toc_removed(live):
    next(live.glob("*.toc")).unlink()


DAMAGE = [_truncate, _flip, _empty_current, _binary_current, _manifest_a_list, _toc_removed]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__.strip("_"))
def test_damage_is_one_line_naming_rebuild_everywhere(tmp_path, damage):
    root = tmp_path / "ix"
    damage(_build(root))
    with pytest.raises((IndexDamagedError, IndexVersionError), match="--rebuild"):
        Index.open(root)
    for command in (["search", "переговоры"], ["stats"], ["check"], ["index", str(tmp_path / "none.txt")]):
        (tmp_path / "none.txt").write_text("Новый документ.", encoding="utf-8")
        run = _cli(*command, "--index", root)
        assert run.returncode == 1, (command, run.stdout)
        assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr
        assert "--rebuild" in run.stderr
    rebuilt = _cli("index", tmp_path / "none.txt", "--index", root, "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    with Index.open(root) as index:
        assert len(index) == 1


def test_a_folder_as_current_is_damage_too(tmp_path):
    root = tmp_path / "ix"
    _current_a_folder(_build(root))
    with pytest.raises(IndexDamagedError):
        Index.open(root)


def test_check_finds_a_changed_byte_and_the_server_reports_it(tmp_path):
    from web import create_app

    root = tmp_path / "ix"
    live = _build(root)
    with Index.open(root) as index:
        assert index.check()["documents"] == 20
    ok = _cli("check", "--index", root)
    assert ok.returncode == 0 and "every checksum matches" in ok.stdout
    _truncate(live)
    client = create_app({"SEARCH_INDEX": str(root)}).test_client()
    for url in ("/api/health", "/api/search?q=переговоры", "/?q=переговоры"):
        response = client.get(url)
        assert response.status_code == 503, url
    body = client.get("/api/health").get_json()
    assert body["ok"] is False and body["status"] == 503 and "damaged" in body["error"]


def test_an_older_format_is_refused_and_not_replaced_unasked(tmp_path, seeds_dir):
    root = tmp_path / "ix"
    live = _build(root)
    manifest = json.loads((live / generations.MANIFEST).read_text(encoding="utf-8"))
    (live / generations.MANIFEST).write_text(json.dumps({**manifest, "format": 2}), encoding="utf-8")
    run = _cli("index", seeds_dir, "--index", root)
    assert run.returncode == 1 and "--rebuild" in run.stderr
    assert generations.current_generation(root) == live and live.is_dir()
    asked = _cli("index", seeds_dir, "--index", root, "--rebuild-if-unreadable")
    assert asked.returncode == 0, asked.stderr
    with Index.open(root) as index:
        assert len(index) == 5


def test_restore_from_a_backup_while_an_index_is_open(tmp_path):
    import shutil

    root = tmp_path / "ix"
    _build(root)
    shutil.copytree(root, tmp_path / "backup")
    serving = Index.open(root)
    assert serving.search("переговоры").total == 20
    Index.build(root, [Document(id="x", title="Другое", text="Совсем другое.", lang="ru")]).close()
    assert serving.search("переговоры").total == 0
    restored = _cli("restore", tmp_path / "backup", "--index", root)
    assert restored.returncode == 0, restored.stderr
    assert "20 documents" in restored.stdout
    assert serving.search("переговоры").total == 20
    serving.close()
    with pytest.raises(IndexNotFoundError):
        Index.restore(tmp_path / "nothing", root)


@pytest.mark.parametrize("manifest", [None, b"", b"\xff\xfe garbage", b"[1, 2]", b"{"])
def test_a_missing_or_garbage_manifest_is_named_not_format_none(tmp_path, manifest):
    root = tmp_path / "ix"
    live = _build(root)
    if manifest is None:
        (live / generations.MANIFEST).unlink()
    else:
        (live / generations.MANIFEST).write_bytes(manifest)
    with pytest.raises(IndexDamagedError, match="manifest.json") as raised:
        Index.open(root)
    assert "None" not in str(raised.value) and "--rebuild" in str(raised.value)


def test_files_overwritten_in_place_give_503_not_500(tmp_path, seeds_dir):
    # Sizes still match, so only the checksums tell: Whoosh raised ValueError on the garbage (a 500).
    import random

    from search import load_documents
    from web import create_app

    root = tmp_path / "ix"
    Index.build(root, load_documents(seeds_dir)).close()
    client = create_app({"SEARCH_INDEX": str(root)}).test_client()
    assert client.get("/api/search?q=переговоры").status_code == 200
    live = generations.current_generation(root)
    rng = random.Random(0)
    for file in sorted(live.iterdir()):
        if file.name != generations.MANIFEST:
            data = bytearray(file.read_bytes())
            for i in range(0, len(data), 7):
                data[i] = rng.randrange(256)
            with open(file, "r+b") as out:  # in place: the same inode, the same size
                out.write(data)
    statuses = []
    for q in ("переговоры", "Lavrov", "нато", "перегов", "Лавров Макей"):
        for url in (f"/api/search?q={q}", f"/?q={q}", f"/api/suggest?q={q}", "/api/health",
                    "/doc/000_cd43f6f3889422fc.txt", "/api/documents/000_cd43f6f3889422fc.txt/related"):
            response = client.get(url)
            statuses.append(response.status_code)
            assert response.status_code != 500, url
    assert 503 in statuses
    body = client.get("/api/search?q=переговоры").get_json()
    assert body["status"] == 503 and "checksum" in body["error"] and "--rebuild" in body["error"]


def _rewrite_checksums(live):
    """Damage that a manifest was rewritten to match: only reading the file tells."""
    manifest = json.loads((live / generations.MANIFEST).read_text(encoding="utf-8"))
    for name in manifest["files"]:
        data = (live / name).read_bytes()
        manifest["files"][name] = {"size": len(data), "crc32": f"{zlib.crc32(data):08x}"}
    (live / generations.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


SIDE_DAMAGE = {
    "stories_garbage": ("stories.npz", b"garbage" * 100),
    "stories_empty": ("stories.npz", b""),
    "vocabulary_not_gzip": ("vocabulary.tsv.gz", b"garbage"),
    "vocabulary_bad_count": ("vocabulary.tsv.gz", gzip.compress("переговоры\tx\n".encode())),
    "vocabulary_no_tab": ("vocabulary.tsv.gz", gzip.compress(b"no tab here\n")),
    "vocabulary_not_utf8": ("vocabulary.tsv.gz", gzip.compress(b"\xff\xfe\t3\n")),
}


@pytest.mark.parametrize("damage", SIDE_DAMAGE, ids=str)
def test_a_side_file_damaged_under_matching_checksums_is_one_line_and_a_503(tmp_path, damage):
    from web import create_app

    root = tmp_path / "ix"
    live = _build(root)
    name, data = SIDE_DAMAGE[damage]
    (live / name).write_bytes(data)
    _rewrite_checksums(live)
    with pytest.raises(IndexDamagedError, match=f"{name} cannot be read.*--rebuild"):
        Index.open(root).search("переговоры")
    run = _cli("search", "переговоры", "--index", root)
    assert run.returncode == 1 and len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    client = create_app({"SEARCH_INDEX": str(root)}).test_client()
    for url in ("/api/health", "/api/search?q=переговоры", "/api/suggest?q=перег", "/?q=переговоры"):
        assert client.get(url).status_code == 503, url


def test_stories_with_arrays_of_the_wrong_shape_are_damage(tmp_path):
    import numpy as np

    root = tmp_path / "ix"
    live = _build(root)
    np.savez(live / "stories.npz", ids=np.array(["a", "b"]), groups=np.array([1]), signatures=np.zeros((2, 2)),
             numbers=np.zeros(2))
    _rewrite_checksums(live)
    with pytest.raises(IndexDamagedError, match="stories.npz cannot be read"):
        Index.open(root).search("переговоры")
