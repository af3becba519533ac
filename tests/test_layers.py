"""The import rules that keep the stages apart: only the store imports Whoosh, a stage imports only the stages
below it, and `web/` has no import cycle through its package."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Lowest first. errors, language and text are under everything; modules directly in search/ (Index, searching,
# the CLI) are the facade over the stages.
STAGES = ("errors", "language", "text", "analysis", "load", "store", "query", "rank", "present", "facade")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """Every module a file imports, anywhere in it (functions included), as an absolute dotted name; `from . import
    x` gives `package.x` (x may be a module or a name)."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    source = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if node.module:
                found.append((node.lineno, target))
            else:  # from . import a, b: each may be a module
                found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def _stage(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "search" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in STAGES else "facade"


def _files(folder: str) -> list[Path]:
    return sorted(ROOT.joinpath(folder).rglob("*.py"))


def test_the_stages_are_the_packages_of_search():
    packages = {p.parent.name for p in ROOT.joinpath("search").glob("*/__init__.py")}
    assert packages == {"analysis", "load", "store", "query", "rank", "present"}
    assert {p.stem for p in ROOT.joinpath("search").glob("*.py")} >= {"errors", "language", "text", "index"}


def test_only_the_store_imports_whoosh():
    offenders = [f"{path.relative_to(ROOT)}:{line} imports {name}"
                 for path in [*_files("search"), *_files("web")] for line, name in _imports(path)
                 if name.split(".")[0] == "whoosh" and _stage(_module(path)) != "store"]
    assert not offenders, offenders


def test_a_stage_imports_only_the_stages_below_it():
    offenders = []
    for path in _files("search"):
        mine = _stage(_module(path))
        for line, name in _imports(path):
            theirs = _stage(name)
            if mine and theirs and STAGES.index(theirs) > STAGES.index(mine):
                offenders.append(f"{path.relative_to(ROOT)}:{line} ({mine}) imports {name} ({theirs})")
    assert not offenders, offenders


def test_the_rules_read_relative_imports_as_the_stages_they_reach():
    probe = ROOT / "search" / "analysis" / "probe.py"  # need not exist: its source is given
    source = "from ..rank.ranking import rank\nfrom .morphology import fold_yo\nfrom .. import errors\n"
    assert [(_stage(name), name) for _, name in _imports(probe, source)] == [
        ("rank", "search.rank.ranking"), ("analysis", "search.analysis.morphology"), ("errors", "search.errors")]


def test_web_has_no_import_cycle_through_its_package():
    """web/__init__.py builds the app; no module it imports takes a name from it back (`from . import x`)."""
    submodules = {f"web.{path.stem}" for path in _files("web")}
    imported_by_package = {name for _, name in _imports(ROOT / "web" / "__init__.py") if name in submodules}
    offenders = [f"{path.relative_to(ROOT)}:{line} imports {name} from the web package"
                 for path in _files("web") if _module(path) in imported_by_package
                 for line, name in _imports(path)
                 if name == "web" or (name.startswith("web.") and name not in submodules and name.count(".") == 1)]
    assert imported_by_package >= {"web.api", "web.pages", "web.app_index"}
    assert not offenders, offenders


def _spellings_of_language_facts(path: Path) -> list[str]:
    """Where a file spells a fact that belongs to `search.language`: the language set, a Cyrillic range, ё -> е."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            values = {element.value for element in node.elts if isinstance(element, ast.Constant)}
            if {"ru", "en"} <= values:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} the language set")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if any(mark in node.value for mark in ("\u0400", "\u04ff", "а-я", "А-Я")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} a Cyrillic range")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "replace"
              and [getattr(a, "value", None) for a in node.args] == ["ё", "е"]):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} ё folded by hand")
    return found


def test_only_the_language_module_spells_languages_scripts_and_folding():
    language = ROOT / "search" / "language.py"
    assert len(_spellings_of_language_facts(language)) >= 3  # the check sees what it looks for
    offenders = [spot for path in [*_files("search"), ROOT / "web" / "params.py"] if path != language
                 for spot in _spellings_of_language_facts(path)]
    assert not offenders, offenders


def test_a_querys_walk_visits_each_stage_once_in_order(seed_index):
    """What the facade calls as it runs a search, by stage: read as meant, parse and expand (query), rank, then
    the hits (present); the store and analysis serve every stage and are left out."""
    import sys

    walk: list[str] = []

    def watch(frame, event, arg):
        caller = frame.f_back
        if event == "call" and caller is not None and caller.f_globals.get("__name__") == "search.searching":
            stage = _stage(frame.f_globals.get("__name__", ""))
            if stage in ("query", "rank", "present") and (not walk or walk[-1] != stage):
                walk.append(stage)

    sys.setprofile(watch)
    try:
        seed_index.search("перегаворы Lavrov")
    finally:
        sys.setprofile(None)
    assert walk == ["query", "rank", "present"]
