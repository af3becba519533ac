import json
import subprocess
import sys

import pytest

from search.cli import main


@pytest.fixture
def index_dir(tmp_path):
    return str(tmp_path / "index")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_search_stats_and_analyze(capsys, seeds_copy, index_dir):
    code, out, _ = run(capsys, "index", str(seeds_copy), "--index", index_dir)
    assert code == 0
    assert "Index built" in out and "indexed 5 new" in out and "docs/s" in out and "MB/s" in out

    code, out, _ = run(capsys, "search", "Лавров", "Макей", "--index", index_dir)
    assert code == 0
    assert out.startswith("3 results for 'Лавров Макей'")
    assert "1. Россия и Белоруссия договорились" in out and "[Макеем]" in out
    assert "found through the other language: Лавров → Lavrov, Макей → Makei" in out and "[Makei]" in out

    code, out, _ = run(capsys, "search", "Лавров", "Макей", "--no-cross-language", "--index", index_dir)
    assert out.startswith("2 results for 'Лавров Макей'") and "other language" not in out

    code, out, _ = run(capsys, "search", "NATO", "--json", "--lang", "en", "--index", index_dir)
    data = json.loads(out)
    assert data["ok"] is True and data["total"] == 1 and data["hits"][0]["lang"] == "en"
    assert "Россия" in run(capsys, "search", "Россия", "--json", "--index", index_dir)[1]  # not \\u-escaped

    code, out, _ = run(capsys, "search", "перегаворы", "--index", index_dir)
    assert out.startswith("2 results for 'переговоры'")
    assert "Showing results for 'переговоры' (перегаворы → переговоры (typo)); search instead for 'перегаворы' " \
           "with --exact" in out
    code, out, _ = run(capsys, "search", "перегаворы", "--exact", "--index", index_dir)
    assert out.startswith("0 results for 'перегаворы'") and "Showing" not in out
    data = json.loads(run(capsys, "search", "yfnj", "--json", "--index", index_dir)[1])
    assert data["searched"] == "нато" and data["corrected"] == [{"from": "yfnj", "to": "нато", "via": "layout"}]

    code, out, _ = run(capsys, "stats", "--index", index_dir)
    assert code == 0 and "documents: 5" in out and "ru 4" in out
    assert json.loads(run(capsys, "stats", "--json", "--index", index_dir)[1])["documents"] == 5

    assert run(capsys, "analyze", "Стали", "improvements")[1].split() == ["стать", "сталь", "improv"]


def test_reindexing_an_unchanged_folder_does_no_work(capsys, seeds_copy, index_dir):
    run(capsys, "index", str(seeds_copy), "--index", index_dir)
    code, out, _ = run(capsys, "index", str(seeds_copy), "--index", index_dir)
    assert code == 0 and "Index updated" in out and "indexed 0 new, updated 0, unchanged 5" in out


def test_update_prune_and_rebuild(capsys, seeds_copy, index_dir):
    run(capsys, "index", str(seeds_copy), "--index", index_dir)
    (seeds_copy / "new.md").write_text("# Новая заметка\n\nПро переговоры в Женеве.", encoding="utf-8")
    next(seeds_copy.glob("003_*")).unlink()
    path = next(seeds_copy.glob("004_*"))
    path.write_text(path.read_text(encoding="utf-8").replace("Lavrov pointed out.", "Lavrov said in Geneva."),
                    encoding="utf-8")
    code, out, _ = run(capsys, "index", str(seeds_copy), "--index", index_dir)
    assert "indexed 1 new, updated 1, unchanged 3, removed 0" in out
    code, out, _ = run(capsys, "index", str(seeds_copy), "--index", index_dir, "--prune")
    assert "unchanged 5, removed 1" in out and "5 documents" in out
    assert "Geneva" in run(capsys, "search", "Geneva", "--index", index_dir)[1]
    code, out, _ = run(capsys, "index", str(seeds_copy), "--index", index_dir, "--rebuild")
    assert "Index built" in out and "indexed 5 new" in out


def test_bad_files_are_listed_in_the_summary(capsys, tmp_path, index_dir):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.txt").write_text("Хороший документ про переговоры.", encoding="utf-8")
    (tmp_path / "docs" / "empty.txt").write_bytes(b"")
    (tmp_path / "docs" / "binary.html").write_bytes(bytes(range(256)) * 4)
    code, out, _ = run(capsys, "index", str(tmp_path / "docs"), "--index", index_dir)
    assert code == 0 and "indexed 1 new" in out and "skipped 2" in out
    assert "empty.txt: empty file" in out and "binary.html: binary" in out


@pytest.mark.parametrize("args, message", [
    (["search", "x", "--index", "/nonexistent/index"], "No index at /nonexistent/index"),
    (["index", "/nonexistent/docs", "--index", "/tmp/never"], "no such file or folder"),
])
def test_errors_are_one_line_and_a_nonzero_exit(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 1 and message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_bad_query_is_one_line(capsys, seeds_copy, index_dir):
    run(capsys, "index", str(seeds_copy), "--index", index_dir)
    code, _, err = run(capsys, "search", "*", "--index", index_dir)
    assert code == 1 and "wildcard" in err and "Traceback" not in err


def test_python_dash_m_search_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "search", "analyze", "переговоров"], capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["переговоры"]


def test_every_skipped_file_is_listed_somewhere(capsys, tmp_path, index_dir):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("Переговоры в Женеве продолжились.", encoding="utf-8")
    for n in range(25):
        (folder / f"empty{n:02d}.txt").write_bytes(b"")
    code, out, _ = run(capsys, "index", str(folder), "--index", index_dir)
    assert code == 0 and "skipped 25" in out
    assert out.count("  skipped ") == 20 and "... and 5 more: every one is in" in out
    listed = (tmp_path / "index" / "skipped.tsv").read_text(encoding="utf-8").splitlines()
    assert len(listed) == 25 and listed[0].startswith("skipped\t") and listed[0].endswith("\tempty file")
    code, out, _ = run(capsys, "index", str(folder), "--index", index_dir, "--rebuild", "--verbose")
    assert out.count("  skipped ") == 25 and "more:" not in out


def test_progress_shows_total_percent_and_phases():
    import io

    from search.progress import Progress

    stream = io.StringIO()
    progress = Progress(2_000_000, stream=stream, enabled=True)
    progress.read(1_000_000)
    progress(1500, 900_000)
    progress.bar.refresh()
    progress.phase("committing")
    progress.done()
    shown = stream.getvalue()
    assert "reading:  50%" in shown and "1.00M/2.00M" in shown and "1,500 documents" in shown
    assert "committing… 00:00" in shown
    assert not Progress(10, stream=io.StringIO()).enabled  # not a terminal: silent


def test_search_by_date_source_and_topic_from_the_command_line(capsys, tmp_path, index_dir):
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (
        {"id": "a", "title": "Oil output talks", "text": "OPEC talks on oil.", "date": "26-FEB-1987 15:02:20.00",
         "topics": ["crude"]},
        {"id": "b", "title": "Oil price rise", "text": "Oil prices rose.", "date": "3-MAR-1987 09:10:00.00",
         "topics": ["crude", "opec"]},
        {"id": "c", "title": "Нефть дорожает", "text": "Цены на нефть выросли.", "date": "29 мая 2018",
         "source": "rt", "url": "https://russian.rt.com/business/article/1"})), encoding="utf-8")
    code, out, _ = run(capsys, "index", str(corpus), "--index", index_dir, "--source", "reuters")
    assert code == 0 and "indexed 3 new" in out
    code, out, _ = run(capsys, "search", "oil", "--sort", "date", "--index", index_dir)
    assert out.index("дорожает") < out.index("price rise") < out.index("output talks")
    assert "ru · 2018-05-29 · https://russian.rt.com/business/article/1" in out and "topics: crude, opec" in out
    code, out, _ = run(capsys, "search", "oil", "--until", "1987-02", "--source", "reuters", "--index", index_dir)
    assert out.startswith("1 result") and "output talks" in out and "en · 1987-02-26T15:02:20 · reuters" in out
    code, out, _ = run(capsys, "search", "oil", "--topic", "crude", "--topic", "opec", "--json", "--index", index_dir)
    assert [hit["id"] for hit in json.loads(out)["hits"]] == ["b"]
    code, _, err = run(capsys, "search", "oil", "--since", "soon", "--index", index_dir)
    assert code != 0 and "since: 'soon' is not a date" in err


def test_right_to_left_overrides_and_zero_width_characters_do_not_reach_the_terminal(capsys, tmp_path, index_dir):
    record = {"id": "rlo\u202etxt.exe", "title": "Отчёт\u202e\u2066 о переговорах\u200b",
              "text": "Переговоры\u200d идут\u2067 в Женеве\ufeff.", "source": "wire\u202e"}
    (tmp_path / "trick.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert run(capsys, "index", str(tmp_path / "trick.jsonl"), "--index", index_dir)[0] == 0
    for args in (["переговоры"], ["переговоры", "--all-copies"], ["переговоры", "--json"]):
        code, out, err = run(capsys, "search", *args, "--index", index_dir)
        assert code == 0 and "Женеве" in out
        for char in "\u202e\u2066\u2067\u200b\u200d\ufeff":
            assert char not in out + err, repr(char)

    data = json.loads(run(capsys, "search", "переговоры", "--json", "--index", index_dir)[1])
    assert data["hits"][0]["id"] == "rlo\u202etxt.exe"  # the JSON still holds the data as it is
