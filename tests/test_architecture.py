"""The code's shape: names a newcomer can trust, files of a readable size, one way to build HTML.

The layers themselves (which app may import which, and no import cycles)
are import-linter's contracts in pyproject.toml, checked by ``make lint``.
"""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

APPS = ["immigration_site", "publishing", "routes", "eligibility"]
MAX_LINES = 500

# Function-level imports that are not there to dodge an import cycle.
FUNCTION_IMPORTS = {
    # AppConfig.ready: Django's place to import what needs the app registry.
    ("routes/apps.py", "ready"),
    # PostgreSQL's own search, imported only when the database is PostgreSQL.
    ("routes/search.py", "_postgres"),
}


def project_files():
    root = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(root).as_posix(), ast.parse(path.read_text(), str(path))


def test_no_two_classes_or_constants_share_a_name():
    found = defaultdict(list)
    for name, tree in project_files():
        for node in tree.body:
            # Every management command is a class named Command, as Django requires.
            if isinstance(node, ast.ClassDef) and node.name != "Command":
                found[node.name].append(name)
                for inner in node.body:
                    if isinstance(inner, ast.ClassDef) and inner.name != "Meta":
                        found[inner.name].append(f"{name} ({node.name})")
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id.isupper():
                    found[target.id].append(name)
    shared = {name: where for name, where in found.items() if len(where) > 1}
    assert not shared, shared


def test_no_file_is_over_500_lines():
    root = Path(settings.BASE_DIR)
    long = {
        name: lines
        for name, _ in project_files()
        if (lines := len((root / name).read_text().splitlines())) > MAX_LINES
    }
    assert not long, long


def test_imports_sit_at_the_top_of_modules():
    inside = set()
    for name, tree in project_files():
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    if isinstance(node, ast.Import | ast.ImportFrom):
                        inside.add((name, function.name))
    assert inside == FUNCTION_IMPORTS


def test_no_app_imports_another_apps_private_names():
    private = []
    for name, tree in project_files():
        own = name.split("/")[0]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0):
                continue
            if node.module.split(".")[0] in set(APPS) - {own}:
                private += [
                    f"{name}: {node.module}.{a.name}" for a in node.names if a.name[0] == "_"
                ]
    assert not private


def test_html_is_never_built_from_f_strings_marked_safe():
    """HTML from Python is built with format_html / format_html_join (or a template)."""
    unsafe = []
    for name, tree in project_files():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "mark_safe"
                and any(
                    isinstance(part, ast.JoinedStr | ast.BinOp)
                    for arg in node.args
                    for part in ast.walk(arg)
                )
            ):
                unsafe.append(f"{name}:{node.lineno}")
    assert not unsafe
