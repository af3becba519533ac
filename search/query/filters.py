"""What a search is narrowed to (language, dates, sources, topics), and the counts that show how to narrow it.

Each facet's count is what choosing its value gives. Languages and sources are counted under every filter but
their own: the language tabs keep their counts while one is chosen, and so do the sources, which are either-or
(reuters or rt: a source's count is what adding it adds). Topics are all-of (oil and opec): counted under every
filter, their own included. A language filter keeps the documents written in both languages (`mixed`) too.
Which topics a search offers follows the documents that hold every word of the query, when some do: a document
that holds one word of `oil prices OPEC` (a football «цена победы») counts under its topics, but does not put
спорт among the first topics offered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import QueryError
from ..language import DOCUMENT_LANGS
from ..load.dates import NO_DATE, date_bound, epoch_seconds, iso
from ..store.snapshot import LANG_CODES, ScoringContext

MAX_FACET_VALUES = 20  # sources and topics counted per search, the most frequent first
FACET_KINDS = ("lang", "source", "topics", "day")  # "day": the result's documents by day, for its timeline
DAY_SECONDS = 86_400
MAX_FILTER_VALUES = 20  # sources or topics one search may name
MAX_FILTER_CHARS = 200
SORTS = ("relevance", "date")


@dataclass(frozen=True)
class Filters:
    """A search's filters, checked: `since` and `until` in epoch seconds (inclusive), None when open."""

    lang: str | None = None
    since: int | None = None
    until: int | None = None
    sources: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    @classmethod
    def of(cls, lang: str | None = None, since=None, until=None, source=None, topic=None) -> Filters:
        """Filters from a caller's values, or QueryError saying which one is wrong. `since` and `until` take a
        date, a datetime, or text as `search.load.dates.date_bound` reads it ("2018", "2018-05", "29 мая 2018");
        `source` and `topic` one name or several."""
        if lang is not None and lang not in DOCUMENT_LANGS:
            raise QueryError(f"lang must be ru, en or mixed, not {lang!r}.")
        start, end = _bound("since", since, end=False), _bound("until", until, end=True)
        if start is not None and end is not None and start > end:
            raise QueryError("since is after until: nothing can be dated between them.")
        return cls(lang, start, end, _names("source", source), _names("topic", topic))

    @property
    def narrows(self) -> bool:
        return bool(self.lang or self.since is not None or self.until is not None or self.sources or self.topics)

    def masks(self, ctx: ScoringContext) -> dict[str, np.ndarray | None]:
        """Each filter's documents as a mask over the index (None for a filter not set)."""
        masks: dict[str, np.ndarray | None] = {"lang": None, "date": None, "source": None, "topics": None}
        if self.lang:
            masks["lang"] = ctx.langs == LANG_CODES.index(self.lang)
            if self.lang != "mixed":
                masks["lang"] |= ctx.langs == LANG_CODES.index("mixed")
        if self.since is not None or self.until is not None:
            low = NO_DATE + 1 if self.since is None else self.since
            high = np.iinfo(np.int64).max if self.until is None else self.until
            masks["date"] = (ctx.dates >= low) & (ctx.dates <= high)
        if self.sources:
            wanted = {name.casefold() for name in self.sources}
            codes = [code for code, name in enumerate(ctx.source_names) if name.casefold() in wanted]
            masks["source"] = np.isin(ctx.sources, codes)
        if self.topics:
            topics, docs, ids = ctx.topic_postings()
            position = {topic: i for i, topic in enumerate(topics)}
            mask = np.ones(ctx.size, dtype=bool)
            for topic in self.topics:
                held = np.zeros(ctx.size, dtype=bool)
                code = position.get(topic.lower())
                if code is not None:
                    held[docs[ids == code]] = True
                mask &= held
            masks["topics"] = mask
        return masks

    def apply(self, ctx: ScoringContext, candidates: np.ndarray, one_per_story: bool = True,
              first: np.ndarray | None = None, copies_apart: bool = False,
              count: bool = True) -> tuple[np.ndarray, FacetCounts]:
        """The candidates the filters keep, and every value's count of the facets: languages, sources and topics,
        each counted under the other filters; with `one_per_story`, a story's copies once (as the results list
        them: by its document of the least order key). The topics offered are those most frequent among the
        candidates in `first` (the documents that hold every word), when any of them has a topic; their counts
        are over all the candidates (`choose_facets` chooses what a result shows). With `copies_apart` (a shard
        of a collection, whose stories may have copies in other shards) the documents that share a story are
        not counted but listed (`FacetCounts.copies`), for the coordinator to count once (`add_facets`). Without
        `count`, no facets (a shard's statistics round)."""
        masks = self.masks(ctx)
        facets = FacetCounts({}, {})
        for kind in ("lang", "source", "topics") if count else ():
            others = candidates.copy()
            for name, mask in masks.items():
                # Topics are all-of: a topic's count is under the topics chosen too, what adding it gives.
                if mask is not None and (name != kind or kind == "topics"):
                    others &= mask
            # The days (the timeline) count what the result holds: under every filter, as the topics are.
            kinds = (kind, "day") if kind == "topics" else (kind,)
            if one_per_story and copies_apart:
                for counted in kinds:
                    facets.copies[counted] = _copies(ctx, others, counted, first)
                alone = others & (ctx.stories < 0)
            else:
                alone = _one_per_story(ctx, others) if one_per_story else others
            for counted in kinds:
                facets.counts[counted] = _counts(ctx, alone, counted)
            if kind == "topics" and first is not None:
                facets.counts["topics_first"] = _topics(ctx, alone & first)
        kept = candidates.copy()
        for mask in masks.values():
            if mask is not None:
                kept &= mask
        return kept, facets


@dataclass
class FacetCopies:
    """A shard's candidates that share a story with others, not counted in its facet yet, as arrays: each copy's
    story, order key and whether it holds every word (`first`), and the values they hold as pairs (`entries[i]`,
    the copy, holds `names[values[i]]`)."""

    stories: np.ndarray
    keys: np.ndarray
    first: np.ndarray
    entries: np.ndarray
    values: np.ndarray
    names: list[str]


@dataclass
class FacetCounts:
    """Every value's count of each facet ("lang", "source", "topics", "day", and "topics_first": the topics among
    the documents with every word). `copies`, on a shard: for each facet, its candidates that share a story with
    others, not counted yet (`FacetCopies`)."""

    counts: dict[str, dict[str, int]]
    copies: dict[str, FacetCopies] = field(default_factory=dict)


def add_facets(shards: list[FacetCounts]) -> FacetCounts:
    """Several shards' counts added up, each story counted once: by its copy of the least order key in any
    shard, as one index of all their documents counts it."""
    total: dict[str, dict[str, int]] = {}
    for facets in shards:
        for kind, counted in facets.counts.items():
            _add(total.setdefault(kind, {}), counted)
    for kind in FACET_KINDS:
        parts = [facets.copies[kind] for facets in shards if kind in facets.copies]
        if not parts:
            continue
        names = sorted({name for part in parts for name in part.names})
        number = {name: i for i, name in enumerate(names)}
        stories, keys, first = (np.concatenate([getattr(part, name) for part in parts])
                                for name in ("stories", "keys", "first"))
        offsets = np.cumsum([0] + [len(part.stories) for part in parts])[:-1]
        entries = np.concatenate([part.entries + offset for part, offset in zip(parts, offsets, strict=True)])
        values = np.concatenate([np.array([number[name] for name in part.names], dtype=np.int64)[part.values]
                                 if len(part.values) else np.zeros(0, dtype=np.int64) for part in parts])
        order = np.lexsort((keys, stories))  # each story's copies, the least order key first
        chosen = np.zeros(len(stories), dtype=bool)
        chosen[order[np.flatnonzero(np.diff(stories[order], prepend=stories[order][:1] - 1))]] = True
        held = chosen[entries]
        _add(total.setdefault(kind, {}), _named(np.bincount(values[held], minlength=len(names)), names))
        if kind == "topics":
            in_first = held & first[entries]
            _add(total.setdefault("topics_first", {}),
                 _named(np.bincount(values[in_first], minlength=len(names)), names))
    return FacetCounts(total)


def _add(into: dict[str, int], counts: dict[str, int]) -> None:
    for name, count in counts.items():
        into[name] = into.get(name, 0) + count


def _named(counts: np.ndarray, names: list[str]) -> dict[str, int]:
    return {names[i]: int(counts[i]) for i in np.flatnonzero(counts)}


TIMELINE_DAYS = 62  # a result spanning up to two months is drawn by day
TIMELINE_MONTHS = 72  # up to six years, by month; longer, by year


def timeline_of(facets: FacetCounts) -> dict[str, Any]:
    """The result's documents by day, month or year, as its span calls for, each story once (what `total`
    counts): {"unit": "day" | "month" | "year" | "", "buckets": [{"period", "since", "until", "count"}, ...] from
    the first dated document's period to the last's (empty periods too), "undated": n}.

    >>> timeline_of(FacetCounts({"day": {"2018-05-29": 2, "2018-06-01": 1, "": 4}}))["buckets"][-1]
    {'period': '2018-06-01', 'since': '2018-06-01', 'until': '2018-06-01', 'count': 1}
    >>> years = timeline_of(FacetCounts({"day": {"1987-02-26": 2, "2018-05-29": 1}}))
    >>> years["unit"], len(years["buckets"]), [(b["period"], b["count"]) for b in years["buckets"]][::31]
    ('year', 32, [('1987', 2), ('2018', 1)])
    """
    counts = facets.counts.get("day", {})
    undated = counts.get("", 0)
    days = sorted(day for day in counts if day)
    if not days:
        return {"unit": "", "buckets": [], "undated": undated}
    first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    months = (last.year - first.year) * 12 + last.month - first.month
    unit = "day" if (last - first).days <= TIMELINE_DAYS else "month" if months <= TIMELINE_MONTHS else "year"
    buckets: list[dict[str, Any]] = []
    start = first if unit == "day" else first.replace(day=1) if unit == "month" else first.replace(month=1, day=1)
    while start <= last:
        if unit == "day":
            end = start
        elif unit == "month":
            end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        else:
            end = start.replace(month=12, day=31)
        period = start.isoformat()[: {"day": 10, "month": 7, "year": 4}[unit]]
        buckets.append({"period": period, "since": start.isoformat(), "until": end.isoformat(), "count": 0})
        start = end + dt.timedelta(days=1)
    index = {bucket["period"]: bucket for bucket in buckets}
    for day in days:
        index[day[: {"day": 10, "month": 7, "year": 4}[unit]]]["count"] += counts[day]
    return {"unit": unit, "buckets": buckets, "undated": undated}


def choose_facets(facets: FacetCounts) -> dict[str, dict[str, int]]:
    """The facets a result shows from every value's counts: the languages, most first (in LANG_CODES' order when
    equal); the MAX_FACET_VALUES most frequent sources; the topics most frequent among the documents with every
    word ("topics_first", when it was counted), then the most frequent; equal ones by name."""
    counts = facets.counts
    langs = counts.get("lang", {})
    ordered = [(lang, langs[lang]) for lang in LANG_CODES if lang and langs.get(lang)]
    first = counts.get("topics_first")
    return {"lang": dict(sorted(ordered, key=lambda pair: -pair[1])),
            "source": _most(counts.get("source", {})),
            "topics": _most(counts.get("topics", {}), first if first is not None else {})}


def _bound(name: str, value, end: bool) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        stored = iso(value)
        seconds = epoch_seconds(stored)
        return seconds + 86400 - 1 if end and not isinstance(value, dt.datetime) else seconds
    if not isinstance(value, str):
        raise QueryError(f"{name} must be a date, not {type(value).__name__}.")
    try:
        return date_bound(value[:MAX_FILTER_CHARS], end=end)
    except ValueError as error:
        raise QueryError(f"{name}: {error}") from None


def _names(name: str, value) -> tuple[str, ...]:
    """One name or several (a list, or text with commas), each stripped, empty ones dropped."""
    if value is None:
        return ()
    values: Iterable = value.split(",") if isinstance(value, str) else value
    if not isinstance(values, Iterable) or not all(isinstance(v, str) for v in values):
        raise QueryError(f"{name} must be text or a list of text.")
    names = tuple(dict.fromkeys(" ".join(v.split())[:MAX_FILTER_CHARS] for v in values if v.strip()))
    if len(names) > MAX_FILTER_VALUES:
        raise QueryError(f"{name} takes at most {MAX_FILTER_VALUES} values, not {len(names)}.")
    return names


def _one_per_story(ctx: ScoringContext, candidates: np.ndarray) -> np.ndarray:
    """The candidates with each story's copies but one left out: the one of the least order key, the copy that
    a collection's shards agree on (`add_facets`)."""
    docnums = np.flatnonzero(candidates)
    groups = ctx.stories[docnums]
    grouped = docnums[groups >= 0]
    if not len(grouped):
        return candidates
    kept = candidates.copy()
    kept[grouped] = False
    order = np.lexsort((ctx.order_keys[grouped], ctx.stories[grouped]))
    by_story = grouped[order]
    firsts = np.flatnonzero(np.diff(ctx.stories[by_story], prepend=-2))
    kept[by_story[firsts]] = True
    return kept


def _copies(ctx: ScoringContext, candidates: np.ndarray, kind: str, first: np.ndarray | None) -> FacetCopies:
    """The candidates that share a story, with what they would count under a facet (see `FacetCopies`)."""
    grouped = np.flatnonzero(candidates & (ctx.stories >= 0))
    if kind == "topics":
        names, docs, ids = ctx.topic_postings()
        held = np.isin(docs, grouped)
        entries, values = np.searchsorted(grouped, docs[held]), ids[held].astype(np.int64)
    elif kind == "day":
        dates = ctx.dates[grouped]
        dated = np.flatnonzero(dates != NO_DATE)
        days, values = np.unique(dates[dated] // DAY_SECONDS, return_inverse=True)
        names = np.asarray(days, dtype="datetime64[D]").astype(str).tolist()
        if (dates == NO_DATE).any():  # the undated count under ""
            undated = np.flatnonzero(dates == NO_DATE)
            names.append("")
            dated = np.concatenate([dated, undated])
            values = np.concatenate([values.ravel(), np.full(len(undated), len(names) - 1)])
        entries = dated
    else:
        codes = (ctx.langs if kind == "lang" else ctx.sources)[grouped].astype(np.int64)
        names = list(LANG_CODES) if kind == "lang" else list(ctx.source_names)
        entries = np.flatnonzero(codes > 0 if kind == "lang" else codes >= 0)
        values = codes[entries]
    return FacetCopies(ctx.stories[grouped], ctx.order_keys[grouped],
                       first[grouped] if first is not None else np.zeros(len(grouped), dtype=bool),
                       np.asarray(entries, dtype=np.int64), np.asarray(values, dtype=np.int64).ravel(), list(names))


def _counts(ctx: ScoringContext, candidates: np.ndarray, kind: str) -> dict[str, int]:
    if kind == "lang":
        return _languages(ctx, candidates)
    if kind == "day":
        return _days(ctx, candidates)
    return _sources(ctx, candidates) if kind == "source" else _topics(ctx, candidates)


def _days(ctx: ScoringContext, candidates: np.ndarray) -> dict[str, int]:
    """How many candidates are dated each day (UTC), "" for the undated."""
    dates = ctx.dates[candidates]
    undated = int((dates == NO_DATE).sum())
    days, counts = np.unique(dates[dates != NO_DATE] // DAY_SECONDS, return_counts=True)
    found = dict(zip(np.asarray(days, dtype="datetime64[D]").astype(str).tolist(), counts.tolist(), strict=True))
    return {**found, "": undated} if undated else found


def _languages(ctx: ScoringContext, candidates: np.ndarray) -> dict[str, int]:
    counts = np.bincount(ctx.langs[candidates], minlength=len(LANG_CODES))
    return {LANG_CODES[code]: int(n) for code, n in enumerate(counts) if n and LANG_CODES[code]}


def _sources(ctx: ScoringContext, candidates: np.ndarray) -> dict[str, int]:
    codes = ctx.sources[candidates]
    counts = np.bincount(codes[codes >= 0], minlength=len(ctx.source_names))
    return {ctx.source_names[i]: int(counts[i]) for i in np.flatnonzero(counts)}


def _topics(ctx: ScoringContext, candidates: np.ndarray) -> dict[str, int]:
    topics, docs, ids = ctx.topic_postings()
    if not topics:
        return {}
    counts = np.bincount(ids[candidates[docs]], minlength=len(topics))
    return {topics[i]: int(counts[i]) for i in np.flatnonzero(counts)}


def _most(counts: dict[str, int], preferred: dict[str, int] | None = None) -> dict[str, int]:
    """The MAX_FACET_VALUES names with their counts: the most frequent, or those most frequent in `preferred`
    counts (then the most frequent, then by name)."""
    preferred = preferred or {}
    order = sorted(counts, key=lambda name: (-preferred.get(name, 0), -counts[name], name))
    return {name: counts[name] for name in order[:MAX_FACET_VALUES]}
