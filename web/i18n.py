"""Page labels in Russian and English, chosen by the browser's language."""

from __future__ import annotations

import datetime as dt
import re

from flask import request

LABELS = {
    "en": {
        "lang": "en",
        "site": "Bilingual search",
        "search": "Search",
        "query_label": "Search Russian and English documents",
        "placeholder": "переговоры о гарантиях безопасности, Lavrov Makei…",
        "all": "All",
        "ru": "Русский",
        "en_lang": "English",
        "mixed": "Mixed",
        "results": "{total} results",
        "result_one": "1 result",
        "took": "in {ms} ms",
        "page_of": "page {page} of {pages}",
        "part_of": "part {part} of {parts}",
        "parts": "Parts of the text",
        "previous": "Previous",
        "next": "Next",
        "pagination": "Pages",
        "languages": "Language",
        "nothing": "Nothing found for «{q}».",
        "nothing_hint": "Try fewer words, another form of a word, or a word* prefix.",
        "nothing_filtered": "The filters left nothing; take one away:",
        "more": "{n} more",
        "topic": "Topic",
        "empty_title": "Search Russian and English text together",
        "holds": "The index holds {n} documents",
        "holds_title": "What the index holds",
        "timeline": "When the results were published: a bar a {unit}, each a link to its period",
        "unit_day": "day", "unit_month": "month", "unit_year": "year",
        "timeline_undated": "undated: {n}",
        "month_names": "January February March April May June July August September October November December",
        "month_format": "{month} {year}",
        "no_dates": "The {lang} documents of this index carry no dates, so a date filter leaves them all out.",
        "lang_ru": "Russian",
        "lang_en": "English",
        "holds_languages": "{ru} in Russian, {en} in English",
        "holds_dates": "dated from {first} to {last}",
        "holds_undated": "{n} undated",
        "holds_sources": "Sources",
        "holds_updated": "Last updated",
        "try": "Try",
        "empty_hint": "Words match every form: «переговоры» finds «переговоров», “improve” finds “improvement”. "
                      "English words find Russian text and back (NATO → НАТО, Lavrov → Лаврова). "
                      "Use \"quotes\" for phrases, -word to exclude, OR, title:, lang:ru and word*.",
        "bad_query": "This query cannot be searched",
        "back": "← Back to results",
        "back_home": "← New search",
        "source": "Source",
        "date": "Date",
        "language": "Language",
        "document": "Document",
        "file": "File",
        "error": "Error",
        "skip": "Skip to results",
        "suggestions": "Suggestions",
        "own_language": "Only in the query's language",
        "crossed": "Found through the other language:",
        "showing_for": "Showing results for",
        "instead": "search instead for",
        "did_you_mean": "Did you mean",
        "partial": "Partial results: {shards} did not answer ({reasons}). The results, their count and the "
                   "filters are those of the other parts of the index; try again in a moment.",
        "similar": "and {n} similar",
        "similar_more": "and {n} more",
        "sort": "Sort",
        "by_relevance": "by relevance",
        "by_date": "newest first",
        "since": "From",
        "until": "To",
        "any_date": "any date",
        "clear_dates": "Any date",
        "sources": "Source",
        "topics": "Topics",
        "remove": "remove",
        "summary": "Summary",
        "related": "Related, the other language first",
        "related_plain": "Related",
        "just_now": "just now",
        "today": "today",
        "yesterday": "yesterday",
        "minutes_ago": "{n} minute ago|{n} minutes ago",
        "hours_ago": "{n} hour ago|{n} hours ago",
        "days_ago": "{n} day ago|{n} days ago",
        "open_source": "Open the article on {site}",
        "too_long": "A query holds at most {n} characters: the text pasted was cut there.",
        "months": "January February March April May June July August September October November December",
        "date_format": "{month} {day}, {year}",
        "thousands": ",",
    },
    "ru": {
        "lang": "ru",
        "site": "Двуязычный поиск",
        "search": "Найти",
        "query_label": "Поиск по русским и английским документам",
        "placeholder": "переговоры о гарантиях безопасности, Lavrov Makei…",
        "all": "Все",
        "ru": "Русский",
        "en_lang": "English",
        "mixed": "Смешанные",
        "results": "Результатов: {total}",
        "result_one": "Один результат",
        "took": "за {ms} мс",
        "page_of": "страница {page} из {pages}",
        "part_of": "часть {part} из {parts}",
        "parts": "Части текста",
        "previous": "Назад",
        "next": "Дальше",
        "pagination": "Страницы",
        "languages": "Язык",
        "nothing": "По запросу «{q}» ничего не найдено.",
        "nothing_hint": "Попробуйте меньше слов, другую форму слова или префикс со звёздочкой: слово*.",
        "nothing_filtered": "Фильтры не оставили ничего; уберите один:",
        "more": "ещё {n}",
        "topic": "Тема",
        "empty_title": "Поиск по русским и английским текстам сразу",
        "holds": "Документов в индексе — {n}",
        "holds_title": "Что в индексе",
        "timeline": "Когда опубликованы результаты: столбик — {unit}, каждый ведёт к своему периоду",
        "unit_day": "день", "unit_month": "месяц", "unit_year": "год",
        "timeline_undated": "без даты: {n}",
        "month_names": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
        "month_format": "{month} {year}",
        "no_dates": "У документов {lang} в этом индексе нет дат, поэтому фильтр по датам убирает их все.",
        "lang_ru": "на русском",
        "lang_en": "на английском",
        "holds_languages": "на русском {ru}, на английском {en}",
        "holds_dates": "с датами от {first} до {last}",
        "holds_undated": "без даты {n}",
        "holds_sources": "Источники",
        "holds_updated": "Обновлён",
        "try": "Попробуйте",
        "empty_hint": "Слова находятся во всех формах: «переговоры» найдёт «переговоров», “improve” — "
                      "“improvement”; русские слова находят и английские тексты (НАТО → NATO, Лавров → Lavrov). "
                      "Кавычки — фраза, -слово — исключить, OR, title:, lang:ru и слово*.",
        "bad_query": "Этот запрос не получается выполнить",
        "back": "← К результатам",
        "back_home": "← Новый поиск",
        "source": "Источник",
        "date": "Дата",
        "language": "Язык",
        "document": "Документ",
        "file": "Файл",
        "error": "Ошибка",
        "skip": "К результатам",
        "suggestions": "Подсказки",
        "own_language": "Только на языке запроса",
        "crossed": "Найдено через другой язык:",
        "showing_for": "Показаны результаты по запросу",
        "instead": "искать вместо этого",
        "did_you_mean": "Возможно, вы имели в виду",
        "partial": "Результаты неполные: не ответили {shards} ({reasons}). Результаты, их число и фильтры — "
                   "по остальным частям индекса; попробуйте ещё раз через минуту.",
        "similar": "Похожих материалов: {n}",
        "similar_more": "и ещё {n}",
        "sort": "Порядок",
        "by_relevance": "по релевантности",
        "by_date": "сначала новые",
        "since": "С",
        "until": "По",
        "any_date": "любая дата",
        "clear_dates": "Любая дата",
        "sources": "Источник",
        "topics": "Темы",
        "remove": "убрать",
        "summary": "Кратко",
        "related": "Похожие материалы, сначала на другом языке",
        "related_plain": "Похожие материалы",
        "just_now": "только что",
        "today": "сегодня",
        "yesterday": "вчера",
        "minutes_ago": "{n} минуту назад|{n} минуты назад|{n} минут назад",
        "hours_ago": "{n} час назад|{n} часа назад|{n} часов назад",
        "days_ago": "{n} день назад|{n} дня назад|{n} дней назад",
        "open_source": "Открыть статью на {site}",
        "too_long": "В запросе помещается не больше {n} символов: вставленный текст обрезан.",
        "months": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
        "date_format": "{day} {month} {year}",
        "thousands": "\u00a0",
    },
}


def labels() -> dict[str, str]:
    """The labels for this request's language: the browser's first preference of those we have (by its
    primary tag: ru-RU is Russian), English otherwise. (Werkzeug's best_match prefers an exact match anywhere in
    the list: `ru-RU,en;q=0.5` gave English.)"""
    try:
        preferences = list(request.accept_languages)
    except RuntimeError:
        return LABELS["en"]
    return LABELS[preferred_language(preferences)]


def preferred_language(preferences: list[tuple[str, float]]) -> str:
    """The first language of the preferences, best first, that the page has labels for; "en" without one.

    >>> preferred_language([("ru-RU", 1), ("en", 0.5)]), preferred_language([("de", 1), ("en-GB", 0.8)])
    ('ru', 'en')
    >>> preferred_language([("fr", 1)]), preferred_language([("ru", 0)])
    ('en', 'en')
    """
    for value, quality in preferences:
        primary = value.split("-")[0].split("_")[0].lower()
        if primary in LABELS and quality > 0:
            return primary
    return "en"


def local_number(n: int | str, t: dict[str, str]) -> str:
    """A count with the thousands grouped as the page's language writes them: 12,345 or 12 345.

    >>> local_number(12345, LABELS["ru"]), local_number(12345, LABELS["en"]), local_number("", LABELS["en"])
    ('12\xa0345', '12,345', '')
    """
    return f"{n:,}".replace(",", t["thousands"]) if isinstance(n, int) else n


def local_date(stored: str, t: dict[str, str]) -> str:
    """A stored ISO 8601 date as the page's language writes it, with the time when there is one (UTC ones
    marked so).

    >>> local_date("2018-05-29", LABELS["ru"]), local_date("1987-02-26T15:02:20", LABELS["en"])
    ('29 мая 2018', 'February 26, 1987, 15:02')
    """
    try:
        moment = dt.datetime.fromisoformat(stored.removesuffix("Z"))
    except ValueError:
        return stored
    text = t["date_format"].format(day=moment.day, month=t["months"].split()[moment.month - 1], year=moment.year)
    if "T" in stored:
        text += f", {moment:%H:%M}" + (" UTC" if stored.endswith("Z") else "")
    return text


RELATIVE_DAYS = 7  # dates within this many days read as "3 days ago"; older ones as the date itself


def relative_date(stored: str, t: dict[str, str], now: dt.datetime | None = None) -> str:
    """A stored date as people read a recent one ("3 days ago", «3 дня назад», "yesterday", "5 hours ago"), the
    date itself (`local_date`) for one older than RELATIVE_DAYS days or in the future. `now` is UTC.

    >>> now = dt.datetime(2026, 12, 7, 12, 0)
    >>> [relative_date(d, LABELS["en"], now) for d in ("2026-12-07", "2026-12-06", "2026-12-04", "2026-11-20")]
    ['today', 'yesterday', '3 days ago', 'November 20, 2026']
    >>> [relative_date(d, LABELS["ru"], now) for d in ("2026-12-04", "2026-12-02", "2026-12-07T09:30:00Z")]
    ['3 дня назад', '5 дней назад', '2 часа назад']
    >>> [relative_date(d, LABELS["ru"], now) for d in ("2026-12-07T11:59:30Z", "2026-12-07T11:59:00Z")]
    ['только что', '1 минуту назад']
    >>> relative_date("2026-12-07T11:20:00Z", LABELS["en"], now), relative_date("2026-12-09", LABELS["en"], now)
    ('40 minutes ago', 'December 9, 2026')
    """
    try:
        moment = dt.datetime.fromisoformat(stored.removesuffix("Z"))
    except ValueError:
        return stored
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if "T" in stored:
        seconds = (now - moment).total_seconds()
        if 0 <= seconds < 60:
            return t["just_now"]
        if 0 <= seconds < 3600:
            return _counted(int(seconds // 60), "minutes_ago", t)
        if 0 <= seconds < 86400:
            return _counted(int(seconds // 3600), "hours_ago", t)
    days = (now.date() - moment.date()).days
    if days == 0 and "T" not in stored:
        return t["today"]
    if days == 1:
        return t["yesterday"]
    if 1 < days < RELATIVE_DAYS:
        return _counted(days, "days_ago", t)
    return local_date(stored, t)


def _counted(n: int, key: str, t: dict[str, str]) -> str:
    """`n` with the label's word in the form the number takes: "1 day ago", «2 дня назад», «5 дней назад»."""
    forms = t[key].split("|")
    if len(forms) == 2:  # English: one, many
        return (forms[0] if n == 1 else forms[1]).format(n=n)
    if n % 10 == 1 and n % 100 != 11:
        form = forms[0]
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        form = forms[1]
    else:
        form = forms[2]
    return form.format(n=n)


# The library's messages (in English, as the API gives them) that a person may meet on the page, in Russian.
# Each pattern matches one message whole; its groups carry the message's particulars into the translation.
RUSSIAN_MESSAGES = [(re.compile(pattern, re.S), text) for pattern, text in (
    (r"The query is too long \((?P<n>[\d,]+) characters; the limit is (?P<limit>[\d,]+)\)\.",
     "Запрос слишком длинный: {n} символов при пределе {limit}."),
    (r"A quoted phrase can have at most (?P<limit>\d+) words, not (?P<n>\d+)\.",
     "Во фразе в кавычках может быть не больше {limit} слов, а не {n}."),
    (r"A query can hold at most (?P<limit>\d+) different quoted phrases, not (?P<n>\d+)\.",
     "В запросе может быть не больше {limit} разных фраз в кавычках, а не {n}."),
    (r"A wildcard needs at least (?P<n>\d+) letters before the '\*', as in 'перегов\*'\.",
     "Перед звёздочкой нужно хотя бы {n} буквы, например «перегов*»."),
    (r"There is no field (?P<field>.+): use title:, text: or lang:, or put \"(?P<raw>.*):…\" in quotes to search "
     r"for the words\.", "Поля {field} нет: есть title:, text: и lang:; чтобы искать эти слова, возьмите "
                         "«{raw}:…» в кавычки."),
    (r"A query needs at least one word to look for, not only words to exclude\.",
     "В запросе нужно хотя бы одно слово для поиска, а не только исключённые."),
    (r"Nothing to search for: type a word or a phrase\.", "Искать нечего: введите слово или фразу."),
    (r"The phrase \"(?P<phrase>.*)\" is made of words too common to check here \((?P<n>[\d,]+) documents hold them "
     r"all\): add a rarer word to it, or drop the quotes\.",
     "Фраза «{phrase}» состоит из слишком частых слов ({n} документов содержат их все): добавьте более редкое "
     "слово или уберите кавычки."),
    (r"lang: takes one of (?P<langs>.+), not (?P<value>.+)\.", "lang: принимает {langs}, а не {value}."),
    (r"lang must be (?:one of all, )?(?P<langs>[^;]+?);? not (?P<value>.+)\.", "lang — это {langs}, а не {value}."),
    (r"(?P<name>since|until): (?P<value>.+) is not a date(?:: give one as .*)?\.",
     "{name}: {value} — не дата; укажите, например, 2018, 2018-05, 2018-05-29 или 29 мая 2018."),
    (r"since is after until: nothing can be dated between them\.",
     "Начальная дата позже конечной: между ними не может быть документов."),
    (r"sort must be relevance or date, not (?P<value>.+)\.", "sort — это relevance или date, а не {value}."),
    (r"(?P<name>\w+) must be a whole number, not (?P<value>.+)\.", "{name} должно быть целым числом, а не {value}."),
    (r"(?P<name>\w+) must be from (?P<low>\d+) to (?P<high>\d+), not (?P<value>.+)\.",
     "{name} должно быть от {low} до {high}, а не {value}."),
    (r"(?P<name>\w+) must be 1 or 0 \(true or false\), not (?P<value>.+)\.",
     "{name} — это 1 или 0 (true или false), а не {value}."),
    (r"No document with id (?P<id>.+)\.", "Документа с id {id} нет."),
    (r"Not Found", "Страница не найдена."),
)]


_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")  # a number with its thousands grouped by commas


def localized(message: str, t: dict[str, str]) -> str:
    """A library or parameter message in the page's language (as it is when there is no translation).

    >>> localized("Nothing to search for: type a word or a phrase.", LABELS["ru"])
    'Искать нечего: введите слово или фразу.'
    """
    if t["lang"] != "ru":
        return message
    for pattern, text in RUSSIAN_MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            return text.format(**{key: value.replace(",", t["thousands"]) if _GROUPED.fullmatch(value) else value
                                  for key, value in match.groupdict().items()})
    return message
