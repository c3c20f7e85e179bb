"""wpw.text stays pure: no Flask, no SQLAlchemy, no other part of wpw, no IO modules."""

import ast
from pathlib import Path

import wpw.text

FORBIDDEN = (
    "flask",
    "sqlalchemy",
    "werkzeug",
    "whoosh",
    "requests",
    "socket",
    "subprocess",
    "sqlite3",
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_text_core_imports_nothing_impure() -> None:
    package = Path(wpw.text.__file__).parent
    files = sorted(package.glob("*.py"))
    assert files, "wpw/text has no modules"
    for path in files:
        for name in _imports(path):
            top = name.split(".")[0]
            assert top not in FORBIDDEN, f"{path.name} imports {name}"
            assert not (top == "wpw" and not name.startswith("wpw.text")), (
                f"{path.name} imports {name}"
            )
