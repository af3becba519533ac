"""The README and the docs/ pages: their code runs, their examples are true, every CLI command is documented."""

import os
import re
import shutil
from pathlib import Path

import pytest

from search.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]


def _python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


WITH_CODE = [page for page in PAGES if _python_blocks(page)]


def test_the_pages_with_code_are_the_ones_expected():
    assert {page.name for page in WITH_CODE} == {"README.md", "library.md", "queries.md"}


@pytest.mark.parametrize("page", WITH_CODE, ids=lambda page: page.name)
def test_python_examples_run(page, tmp_path, seeds_dir):
    """Each page's python blocks run in order, in one namespace, in a folder holding a copy of seeds/."""
    blocks = _python_blocks(page)
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    namespace: dict = {}
    try:
        for block in blocks:
            exec(compile(block, str(page), "exec"), namespace)
    finally:
        if "index" in namespace:
            namespace["index"].close()
        os.chdir(cwd)


def test_the_readme_links_to_every_docs_page_and_each_exists():
    readme = README.read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.md)\)", readme))
    assert linked == {f"docs/{page.name}" for page in PAGES[1:]}
    for page in PAGES:
        for target in re.findall(r"\]\(([\w./-]+\.md)(?:#[\w-]+)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).resolve().is_file(), (page.name, target)


def test_every_cli_command_and_option_is_documented():
    readme = README.read_text(encoding="utf-8") + (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert f"bilingual-search {name}" in readme, name
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in readme, (name, option)


def test_readme_analyze_example_is_true(capsys):
    from search.cli import main

    readme = README.read_text(encoding="utf-8")
    example = re.search(r'\$ bilingual-search analyze "(.*?)"\n(.*?)\n', readme)
    assert main(["analyze", example.group(1)]) == 0
    assert capsys.readouterr().out.strip() == example.group(2)


def test_the_api_pages_json_examples_match_the_api(client):
    import json

    readme = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", readme, re.S)]
    success, error = blocks
    asked = {key: success[key] for key in ("query", "page", "per_page")}
    live = client.get("/api/search", query_string={"q": asked.pop("query"), **asked}).get_json()
    assert list(success) == list(live) and list(success["hits"][0]) == list(live["hits"][0])
    assert (success["total"], success["hits"][0]["id"], success["hits"][0]["snippet"], success["facets"]) == (
        live["total"], live["hits"][0]["id"], live["hits"][0]["snippet"], live["facets"])
    assert success["hits"][0]["translated"] == live["hits"][0]["translated"]
    assert success["hits"][0]["path"] == live["hits"][0]["path"]
    assert list(error) == ["ok", "error", "status"]
    assert client.get("/api/search?q=x&per_page=500").get_json()["error"] == error["error"]


def test_front_ends_use_only_the_librarys_public_names():
    """web/, the CLI's serve command and bench/ import `search` only through `search/__init__.py`'s names."""
    import ast

    import search

    root = Path(__file__).resolve().parent.parent
    offenders = []
    for file in sorted([*root.joinpath("web").rglob("*.py"), *root.joinpath("bench").rglob("*.py")]):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("search"):
                if node.module != "search":
                    offenders.append(f"{file.relative_to(root)}: from {node.module} import ...")
                offenders += [f"{file.relative_to(root)}: {alias.name} is not public"
                              for alias in node.names if node.module == "search" and alias.name not in search.__all__]
            elif isinstance(node, ast.Import):
                offenders += [f"{file.relative_to(root)}: import {a.name}" for a in node.names
                              if a.name.startswith("search.")]
    assert not offenders, offenders
