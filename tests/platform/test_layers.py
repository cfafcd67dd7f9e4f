"""The shape of app/: no import cycles between modules, no module over 500 lines, and an import
inside a function only with a comment on why (start-up time, an optional heavy library).

The layers themselves (which package may import which) are import-linter's contract in
pyproject.toml, run by `make test` as `lint-imports`. The lists of today's exceptions below only
shrink: a new entry means a module that breaks the rule, and an entry that no longer matches fails
too, so that it is deleted once its module is fixed."""
from __future__ import annotations

import ast
from pathlib import Path

import grimp  # comes with import-linter (requirements-dev.txt)

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
MAX_LINES = 500

# Modules over MAX_LINES today, with their length then (none: keep it so).
TOO_LONG: dict[str, int] = {}

# Imports inside functions without a comment today: (module, the import statement). None: keep it so.
UNEXPLAINED_IMPORTS: set[tuple[str, str]] = set()


def _modules():
    return sorted(p for p in APP.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_module_is_over_500_lines():
    lengths = {_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    too_long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    assert set(too_long) <= set(TOO_LONG), f"split these modules (at most {MAX_LINES} lines): " + ", ".join(
        f"{name} ({n})" for name, n in sorted(too_long.items()) if name not in TOO_LONG)
    fixed = set(TOO_LONG) - set(too_long)
    assert not fixed, f"delete from TOO_LONG, they are short enough now: {sorted(fixed)}"


def _unexplained_imports(path: Path) -> set[tuple[str, str]]:
    """Imports inside a function with no comment on their line or the line above."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, (ast.Import, ast.ImportFrom)):
                line = lines[inner.lineno - 1]
                above = lines[inner.lineno - 2].strip() if inner.lineno > 1 else ""
                if "#" not in line and not above.startswith("#"):
                    found.add((_name(path), line.strip()))
    return found


def test_imports_inside_functions_say_why():
    found = set().union(*(_unexplained_imports(p) for p in _modules()))
    new = sorted(found - UNEXPLAINED_IMPORTS)
    assert not new, ("import at module level, or say on the line why it must wait (start-up time, a heavy "
                     f"optional library): {new}")
    fixed = sorted(UNEXPLAINED_IMPORTS - found)
    assert not fixed, f"delete from UNEXPLAINED_IMPORTS, they are gone: {fixed}"


def _cycles(graph) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(sorted(graph.find_modules_directly_imported_by(other)))))
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == module:
                            break
                    if len(component) > 1:
                        components.append(component)
    return components


def test_no_import_cycles_between_modules():
    """Every import counts, those inside functions too: grimp's graph of app/ (import-linter's)."""
    graph = grimp.build_graph("app", cache_dir=None)
    assert [sorted(c) for c in _cycles(graph)] == []
