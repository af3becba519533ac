"""The README's code runs, and every CLI command is documented."""

import os
import re
import shutil
from pathlib import Path

from search.cli import build_parser

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_examples_run(tmp_path, seeds_dir):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        namespace: dict = {}
        for block in blocks:
            exec(compile(block, str(README), "exec"), namespace)
        namespace["index"].close()
    finally:
        os.chdir(cwd)


def test_every_cli_command_and_option_is_documented():
    readme = README.read_text(encoding="utf-8")
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


def test_readme_json_examples_match_the_api(client):
    import json

    readme = README.read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", readme, re.S)]
    success, error = blocks
    asked = {key: success[key] for key in ("query", "page", "per_page")}
    live = client.get("/api/search", query_string={"q": asked.pop("query"), **asked}).get_json()
    assert list(success) == list(live) and list(success["hits"][0]) == list(live["hits"][0])
    assert (success["total"], success["hits"][0]["id"], success["hits"][0]["snippet"], success["facets"]) == (
        live["total"], live["hits"][0]["id"], live["hits"][0]["snippet"], live["facets"])
    assert success["hits"][0]["translated"] == live["hits"][0]["translated"]
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
