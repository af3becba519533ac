"""Dates at the edges: every field at its extremes, in every form a record, a page or a filter brings them. An
out-of-range date is dropped with a warning and its document kept; a filter gets one QueryError line."""

import datetime as dt
import json
import logging

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search import Document, Index, QueryError, load_documents
from search.load.dates import MAX_YEAR, MIN_YEAR, date_bound, epoch_seconds, parse_date

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
YEAR = st.one_of(st.integers(0, 10999), st.sampled_from([0, 1, 99, 100, 999, 1000, 1970, 9998, 9999]))
FIELDS = st.tuples(YEAR, st.integers(0, 13), st.integers(0, 32), st.integers(0, 24), st.integers(0, 60),
                   st.integers(0, 60), st.integers(-24 * 60, 24 * 60))
SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _offset(minutes, colon):
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}" if colon else f"{sign}{hours:02d}{rest:02d}"


def _forms(fields):
    """The same moment written as ISO 8601 (with and without an offset) and as RFC 2822."""
    year, month, day, hour, minute, second, offset = fields
    iso = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
    rfc_month = MONTHS[(month - 1) % 12]
    return [iso, iso + _offset(offset, True), iso + "Z", f"{year:04d}-{month:02d}-{day:02d}",
            f"{DAYS[day % 7]}, {day} {rfc_month} {year:04d} {hour:02d}:{minute:02d}:{second:02d} "
            f"{_offset(offset, False)}",
            f"{day:02d}-{rfc_month.upper()}-{year:04d} {hour:02d}:{minute:02d}:{second:02d}.00"]


def _check_stored(stored):
    assert isinstance(stored, str)
    if stored:
        assert MIN_YEAR <= int(stored[:4]) <= MAX_YEAR, stored
        assert epoch_seconds(stored) > -(2**62)


@SETTINGS
@given(FIELDS)
@example((9999, 12, 31, 23, 59, 59, -(23 * 60 + 59)))
@example((1, 1, 1, 0, 0, 0, 23 * 60 + 59))
@example((1000, 1, 1, 0, 0, 0, 23 * 60 + 59))
@example((9999, 12, 31, 23, 59, 59, 0))
def test_any_date_is_stored_in_range_or_dropped(fields):
    for value in _forms(fields):
        _check_stored(parse_date(value))


@SETTINGS
@given(st.text(max_size=40))
def test_any_text_is_a_date_or_not_never_an_error(text):
    _check_stored(parse_date(text))
    for end in (False, True):
        try:
            assert isinstance(date_bound(text, end=end), int)
        except ValueError as error:
            assert str(error)


def test_the_extremes_of_the_range():
    assert parse_date("9999-12-31T23:59:59-23:59") == ""  # the year 10000 in UTC
    assert parse_date("Fri, 31 Dec 9999 23:59:59 -2359") == ""
    assert parse_date("Mon, 1 Jan 0001 00:00:00 +2359") == ""  # was stored as the year 2000
    assert parse_date("0001-01-01T00:00:00+23:59") == ""
    assert parse_date("9999-12-31T23:59:59+00:00") == "9999-12-31T23:59:59Z"
    assert parse_date("Fri, 31 Dec 9999 23:59:59 +0000") == "9999-12-31T23:59:59Z"
    assert parse_date("1000-01-01") == "1000-01-01"
    last = epoch_seconds("9999-12-31T23:59:59")
    assert date_bound("9999-12", end=True) == date_bound("9999", end=True) == last
    assert date_bound("9999-12-31", end=True) == last


@pytest.mark.parametrize("record_date", ["9999-12-31T23:59:59-23:59", "Fri, 31 Dec 9999 23:59:59 -2359",
                                         "Mon, 1 Jan 0001 00:00:00 +2359"])
def test_a_record_dated_out_of_range_is_kept_without_its_date(tmp_path, record_date, caplog):
    records = [{"id": "far", "title": "Далёкое будущее", "text": "Переговоры о будущем.", "date": record_date},
               {"id": "near", "title": "Сегодня", "text": "Переговоры сегодня.", "date": "2018-05-29"}]
    (tmp_path / "news.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                         encoding="utf-8")
    (tmp_path / "page.html").write_text(
        f'<html><head><title>Страница</title><meta property="article:published_time" content="{record_date}">'
        "</head><body><p>Переговоры на странице, и это довольно длинный абзац текста.</p></body></html>",
        encoding="utf-8")
    (tmp_path / "note.md").write_text(f"---\ntitle: Заметка\ndate: {record_date}\n---\n\nПереговоры в заметке.\n",
                                      encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="search"):
        docs = list(load_documents(tmp_path))
    assert {d.id: d.date for d in docs} == {"far": "", "near": "2018-05-29", "page.html": "", "note.md": ""}
    assert "outside the years" in caplog.text
    index = Index.build(tmp_path / "ix", docs)
    assert len(index) == 4 and index.search("переговоры").total == 4
    assert index.search("переговоры", until="9999-12").total == 1
    assert index.search("переговоры", since="9999").total == 0
    with pytest.raises(QueryError, match="until"):
        index.search("переговоры", until="9999-12-31T23:59:59-23:59")
    index.close()


def test_the_api_and_the_page_take_year_9999_bounds(client):
    for url in ("/api/search?q=переговоры&until=9999-12", "/?q=переговоры&until=9999-12",
                "/api/search?q=переговоры&since=9999-12-31"):
        assert client.get(url).status_code == 200, url
    bad = client.get("/api/search?q=переговоры&until=Fri, 31 Dec 9999 23:59:59 -2359")
    assert bad.status_code == 400 and "outside the years" in bad.get_json()["error"]


def test_a_document_made_by_hand_with_a_far_date_is_written(tmp_path):
    doc = Document(id="x", title="Будущее", text="Текст.", lang="ru", date="9999-12-31T23:59:59-23:59")
    with Index.build(tmp_path / "ix", [doc]) as index:
        assert index.document("x").date == ""


def test_a_date_object_filter_at_the_edges(seed_index):
    assert seed_index.search("переговоры", until=dt.date(9999, 12, 31)).total == 0  # the seeds have no dates
    assert seed_index.search("переговоры", since=dt.datetime(1, 1, 1)).total == 0
