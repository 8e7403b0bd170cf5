"""Public functions take at most three positional parameters (what the function is about); the rest are
keyword-only, so a call reads as ``one_shot(inputs, prompt, output=..., aspect=..., seed=7)`` and never as
``..., 7, None, settings, False``. Read from the source (nothing is imported), over the whole package."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "server" / "free_music_ai"
MOST_POSITIONAL = 3


def _public(name: str) -> bool:
    return not name.startswith("_") or name == "__init__"


def _positional(function: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> list[str]:
    names = [a.arg for a in function.args.posonlyargs + function.args.args]
    return names[1:] if method and names and names[0] in ("self", "cls") else names


def _too_many(tree: ast.Module) -> list[str]:
    found: list[str] = []

    def visit(body: list[ast.stmt], owner: str | None) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef) and _public(node.name) and owner is None:
                visit(node.body, node.name)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _public(node.name):
                if any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list):
                    names = _positional(node, method=False)
                else:
                    names = _positional(node, method=owner is not None)
                if len(names) > MOST_POSITIONAL:
                    where = f"{owner}.{node.name}" if owner else node.name
                    found.append(f"{where}({', '.join(names)})")

    visit(tree.body, None)
    return found


def offenders() -> list[str]:
    """Every public function of the package with more than three positional parameters."""
    found: list[str] = []
    for file in sorted(PACKAGE.rglob("*.py")):
        relative = file.relative_to(PACKAGE).as_posix()
        if any(part.startswith("_") and part != "__init__.py" for part in relative.split("/")):
            continue
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        found += [f"{relative}: {where}" for where in _too_many(tree)]
    return found


def test_public_functions_take_at_most_three_positional_parameters() -> None:
    found = offenders()
    assert not found, "make the parameters after the third keyword-only (*):\n" + "\n".join(found)


def test_the_checker_finds_a_fourth_positional_parameter() -> None:
    source = (
        "def fine(a, b, c, *, d): ...\n"
        "def wide(a, b, c, d): ...\n"
        "def _private(a, b, c, d): ...\n"
        "class Thing:\n"
        "    def method(self, a, b, c): ...\n"
        "    def busy(self, a, b, c, d=1): ...\n"
        "    @staticmethod\n"
        "    def static(a, b, c, d): ...\n"
    )
    assert _too_many(ast.parse(source)) == ["wide(a, b, c, d)", "Thing.busy(a, b, c, d)", "Thing.static(a, b, c, d)"]
