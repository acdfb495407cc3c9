"""regulation/ is pure Python: no Django, no other parcours package (ARCHITECTURE.md)."""

import ast
import sys
from pathlib import Path

import parcours.regulation

ALLOWED_THIRD_PARTY = {"pydantic", "yaml", "dateutil"}
ROOT = Path(parcours.regulation.__file__).parent


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_regulation_imports_only_the_standard_library_its_parsers_and_itself():
    offenders = {}
    for path in ROOT.rglob("*.py"):
        for name in imports_of(path):
            top = name.split(".")[0]
            if name.startswith("parcours.regulation") or top in ALLOWED_THIRD_PARTY or top in sys.stdlib_module_names:
                continue
            if top == "__future__":
                continue
            offenders.setdefault(str(path.relative_to(ROOT)), []).append(name)
    assert not offenders
