"""Dates as news states them, as ISO 8601: a record's date field, a date in a page's text, a filter's bound.

A stored date is `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` when the source gives the time (in UTC, with a `Z`, when
it gives the offset too). The common formats are read by the standard library (ISO 8601, RFC 2822, Reuters'
"26-FEB-1987 15:02:20.00"); anything else («29 мая 2018», "May 29, 2018", "29.05.2018") by `dateparser`, which
knows both languages' month names. Relative dates ("вчера", "2 hours ago") are refused: a record's date must not
depend on the day it was indexed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import functools
import logging
import re

from ..language import LANGUAGES

log = logging.getLogger("search")
MIN_YEAR, MAX_YEAR = 1000, 9999
NO_DATE = -(2**62)  # the epoch seconds of a document without a date (sorts last when newest come first)
MAX_DATE_CHARS = 100  # a date field longer than this is not a date

_MONTHS = {
    **{m: i + 1 for i, m in enumerate(
        "january february march april may june july august september october november december".split())},
    **{m[:3]: i + 1 for i, m in enumerate(
        "january february march april may june july august september october november december".split())},
    **{m: i + 1 for i, m in enumerate(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split())},
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATES_IN_TEXT = (
    (re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)"), ("y", "m", "d")),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b"), ("d", "m", "y")),
    (re.compile(rf"\b(\d{{1,2}}) ({_MONTH_NAMES})\.? ((?:19|20)\d\d)\b", re.I), ("d", "M", "y")),
    (re.compile(rf"\b({_MONTH_NAMES})\.? (\d{{1,2}}),? ((?:19|20)\d\d)\b", re.I), ("M", "d", "y")),
)
DATE_SEARCH_CHARS = 3000  # a stated date sits in a page's header, not in its body
# Reuters-21578's: 26-FEB-1987 15:02:20.00, some with desk codes after it (27-MAR-1987 00:02:59.13RM, …88T C)
_REUTERS = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?[A-Z ]{0,8}")
_BOUND = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_RFC_YEAR = re.compile(r"\d{1,2}\s+[A-Za-z]{3}\s+(\d+)\s")  # RFC 2822's year, as written


def parse_date(value: str) -> str:
    """A date as news states it, as ISO 8601; '' when it is not a whole date (day, month and year).

    >>> parse_date("26-FEB-1987 15:02:20.00")
    '1987-02-26T15:02:20'
    >>> parse_date("Tue, 29 May 2018 10:00:00 +0300")
    '2018-05-29T07:00:00Z'
    >>> parse_date("29 мая 2018"), parse_date("May 29, 2018"), parse_date("вчера")
    ('2018-05-29', '2018-05-29', '')
    """
    value = " ".join(value.split())
    if not value or len(value) > MAX_DATE_CHARS:
        return ""
    stored = _parsed(value)
    if stored is None:
        log.warning("the date %r is outside the years %d-%d an index stores; the document is kept without it",
                    value, MIN_YEAR, MAX_YEAR)
        return ""
    return stored


@functools.lru_cache(maxsize=4096)
def _parsed(value: str) -> str | None:
    """The date as stored, '' when `value` is not a date, None when it is one outside MIN_YEAR-MAX_YEAR."""
    moment = _standard(value)
    if moment is None:
        moment = _by_dateparser(value)
    if moment is None:
        return ""
    try:
        stored = iso(moment)
    except OverflowError:  # 9999-12-31T23:59:59-23:59 is in the year 10000 in UTC
        return None
    return stored if MIN_YEAR <= moment.year <= MAX_YEAR and MIN_YEAR <= int(stored[:4]) <= MAX_YEAR else None


def iso(moment: dt.datetime | dt.date) -> str:
    """A date or moment as stored: the date alone at midnight, UTC moments with a Z."""
    if not isinstance(moment, dt.datetime):
        return moment.isoformat()
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return moment.isoformat(timespec="seconds") + "Z"
    if moment.time() == dt.time(0):
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")


def _standard(value: str) -> dt.datetime | None:
    """ISO 8601, Reuters' and RFC 2822 dates, without dateparser."""
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        pass
    match = _REUTERS.fullmatch(value)
    if match and match.group(2).lower() in _MONTHS:
        day, month, year, hour, minute, second = match.groups()
        try:
            return dt.datetime(int(year), _MONTHS[month.lower()], int(day), int(hour), int(minute), int(second))
        except ValueError:
            return None
    if re.match(r"[A-Za-z]{3}, ", value) or re.fullmatch(r"\d{1,2} [A-Za-z]{3} \d{4} \d\d:\d\d(:\d\d)?( .*)?", value):
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        written = _RFC_YEAR.search(value)
        if written and len(written.group(1)) > 2 and int(written.group(1)) != moment.year:
            # The email module reads a year below 100 as 19xx or 20xx, also when written with four digits
            # ("0001"): such a year is out of range, not the year 2001.
            return dt.datetime(1, 1, 1)
        return moment
    return None


def _by_dateparser(value: str) -> dt.datetime | None:
    import dateparser  # noqa: PLC0415 (50 ms to import: only when a date needs it)

    try:
        return dateparser.parse(value, languages=list(LANGUAGES), settings={
            "PARSERS": ["custom-formats", "absolute-time"], "REQUIRE_PARTS": ["day", "month", "year"],
            "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False})
    except (ValueError, OverflowError, TypeError, AttributeError, KeyError):
        return None


def find_date(text: str) -> str:
    """The first date stated near the start of a text (a page's header), as YYYY-MM-DD, or ''.

    >>> find_date("date 2018-05-29 Russian Politics")
    '2018-05-29'
    >>> find_date("Опубликовано 24 января 2022 года")
    '2022-01-24'
    """
    head = text[:DATE_SEARCH_CHARS]
    found = []
    for pattern, order in _DATES_IN_TEXT:
        for match in pattern.finditer(head):
            parts = dict(zip(order, match.groups(), strict=True))
            month = int(parts["m"]) if "m" in parts else _MONTHS[parts["M"].lower().rstrip(".")]
            try:
                date = dt.date(int(parts["y"]), month, int(parts["d"]))
            except ValueError:
                continue
            found.append((match.start(), date.isoformat()))
    return min(found)[1] if found else ""


def epoch_seconds(stored: str) -> int:
    """A stored date as seconds since 1970 (UTC; a date alone is its midnight), NO_DATE when there is none.

    >>> epoch_seconds("1970-01-02"), epoch_seconds("1970-01-01T00:01:00Z"), epoch_seconds("")
    (86400, 60, -4611686018427387904)
    """
    if not stored:
        return NO_DATE
    try:
        moment = dt.datetime.fromisoformat(stored.removesuffix("Z"))
    except ValueError:
        return NO_DATE
    return calendar.timegm(moment.timetuple())


def date_bound(text: str, end: bool = False) -> int:
    """A filter's bound as epoch seconds: the start of the period named (`end`: its last second), so that
    since=2018 until=2018-05 is 1 January 2018 through 31 May 2018. Takes a year, a year and month, a date, an
    ISO moment or a date as `parse_date` reads it; raises ValueError naming what it takes.

    >>> date_bound("2018-05", end=True) == epoch_seconds("2018-05-31T23:59:59")
    True
    """
    text = text.strip()
    match = _BOUND.fullmatch(text)
    if match:
        year = int(match.group(1))
        month, day = (int(g) if g else None for g in match.groups()[1:])
        try:
            first = dt.datetime(year, month or 1, day or 1)
        except ValueError:
            raise ValueError(f"{text!r} is not a date.") from None
        if not end:
            return calendar.timegm(first.timetuple())
        try:
            if day:
                last = first + dt.timedelta(days=1)
            elif month:
                last = (first + dt.timedelta(days=32)).replace(day=1)
            else:
                last = first.replace(year=year + 1)
        except (OverflowError, ValueError):  # the period runs to the end of the year 9999
            return calendar.timegm(dt.datetime(MAX_YEAR, 12, 31, 23, 59, 59).timetuple())
        return calendar.timegm(last.timetuple()) - 1
    stored = _parsed(" ".join(text.split())) if len(text) <= MAX_DATE_CHARS else ""
    if stored is None:
        raise ValueError(f"{text[:40]!r} is outside the years {MIN_YEAR}-{MAX_YEAR}.")
    if not stored:
        raise ValueError(f"{text[:40]!r} is not a date: give one as 2018, 2018-05, 2018-05-29 or 29 May 2018.")
    seconds = epoch_seconds(stored)
    if end and "T" not in stored:
        seconds += 86400 - 1
    return seconds
