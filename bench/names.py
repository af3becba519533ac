"""Names that are also ordinary words (python -m bench.names --index DIR [--write]): precision across languages.

On one index of RT and Reuters together, each surname below is searched alone, capitalized, as a person types a
name. A hit in the other language that does not mention the name (no word of its title or text can be the same
name: `search.same_name`) came through the ordinary word the surname resembles (Соколов -> falcon, Hunter ->
охотник) or through another name of the same consonants (Путин -> Patten): it is counted.
Target: none. Hits in the name's own language are counted too, to show the name is still found.

    bilingual-search index <RT and Reuters> --index /tmp/rtr; python -m bench.names --index /tmp/rtr [--write]
"""

from __future__ import annotations

import argparse
import re
import sys

from search import Index, name_keys, same_name

from .report import names_table, run_facts, save_results

# Surnames that are also ordinary words (or forms of them), both languages; none chosen by looking at results.
NAMES = {
    "ru": ["Соколов", "Песков", "Волков", "Козлов", "Макей", "Лавров", "Медведев", "Орлов", "Зайцев", "Лебедев",
           "Морозов", "Попов", "Белов", "Новиков", "Мельников", "Кузнецов", "Гусев", "Баранов", "Комаров", "Щукин",
           "Рыбаков", "Сорокин", "Голубев", "Карпов", "Быков", "Жуков", "Соловьев", "Воробьев", "Крылов", "Котов"],
    "en": ["Hunter", "Cook", "Fisher", "Baker", "Smith", "Bush", "Brown", "White", "Black", "Green", "Rice",
           "Carter", "Miller", "Wolf", "Fox", "Price", "Young", "King", "Bishop", "Mason", "Walker", "Turner",
           "Hill", "Stone", "Wood", "Gold", "Bell", "Shepherd", "Butler", "Cooper"],
}
# Names whose consonant skeleton is another name's in the other language (Путин: Patten, Paton); the vowels
# must keep them apart.
SHARED_CONSONANTS = {
    "ru": ["Путин", "Путен", "Томас", "Кинг", "Мун"],
    "en": ["Patten", "Paton", "Times", "Kong", "Mann"],
}
TOP = 10
_CAPITALIZED = re.compile(r"\b[^\W\d_a-zа-яё]\w+")


def judge(index: Index, name: str, lang: str) -> dict:
    """One name's top hits: how many are in its own language, how many in the other, and of those how many do
    not mention it."""
    keys = set(name_keys(name))
    hits = index.search(name, per_page=TOP, prefix=False, typos=False).hits
    other_lang = "en" if lang == "ru" else "ru"
    other = [hit for hit in hits if hit.lang == other_lang]  # (a "mixed" document is partly the name's own)
    stray = []
    for hit in other:
        doc = index.document(hit.id)
        written = set(_CAPITALIZED.findall(doc.title + "\n\n" + doc.text))
        if not any(same_name(key, spelled) for word in written for spelled in name_keys(word) for key in keys):
            stray.append(hit.title[:60])
    return {"name": name, "lang": lang, "own": len(hits) - len(other), "other": len(other), "stray": len(stray),
            "stray_titles": stray[:3]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.names", description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="an index of RT and Reuters together")
    parser.add_argument("--write", action="store_true", help="put the figures in bench/RESULTS.md")
    args = parser.parse_args(argv)
    rows = []
    with Index.open(args.index) as index:
        for kind, groups in (("word", NAMES), ("consonants", SHARED_CONSONANTS)):
            for lang, names in groups.items():
                rows += [{**judge(index, name, lang), "kind": kind} for name in dict.fromkeys(names)]
    print(names_table(rows))
    for row in rows:
        if row["stray_titles"]:
            print(f"  {row['name']}: {' | '.join(row['stray_titles'])}")
    if args.write:
        save_results({**run_facts("python -m bench.names", argv, {}), "names": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
