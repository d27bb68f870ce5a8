"""The package layout follows the data flow: no import cycles, no import up the flow, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

QA = Path(__file__).resolve().parents[1] / "qa"
MAX_LINES = 400

# Layers along the data flow (docs/architecture.md). A module imports only from its own layer or
# lower ones; ingest and embed sit side by side and do not import each other.
LAYERS: dict[str, float] = {
    "qa.errors": 0,
    "qa.settings": 0,
    "qa.schema": 0,
    "qa.text": 1,
    "qa.ingest": 2,
    "qa.embed": 2,
    "qa.index": 3,
    "qa.pipeline": 4,
    "qa.facts": 4,
    "qa.evaluation": 4,
    "qa.across": 4.5,  # questions across reports, from the series of qa.facts and the query of qa.pipeline
    "qa.api": 5,
    "qa.apps": 6,
    "qa.__main__": 7,
    "qa": 7,  # the package's __init__ re-exports the public API
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(QA.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer_of(module: str) -> tuple[str, float]:
    """The layer key (longest matching prefix) and its level."""
    key = max((k for k in LAYERS if module == k or module.startswith(k + ".")), key=len)
    return key, LAYERS[key]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> set[str]:
    """qa modules imported anywhere in the file (function bodies too), except under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and _is_type_checking(node)
               for n in ast.walk(node)}  # fmt: skip
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "qa")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "qa":
            found.add(node.module)
            # "from qa.index import local" imports the module qa.index.local
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in QA.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in files and m != name} for name, path in files.items()}


def _python_files() -> list[Path]:
    """Every Python file of the project: app.py and the packages, benchmarks, training, tests too."""
    root = QA.parent
    files = [root / "app.py"]
    for folder in ("qa", "benchmarks", "training", "tests", "docs"):
        files += (root / folder).rglob("*.py")
    return [f for f in files if f.is_file()]


def test_no_module_is_longer_than_the_limit() -> None:
    long = {str(p.relative_to(QA.parent)): n for p in _python_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}  # fmt: skip
    assert not long, f"files over {MAX_LINES} lines: {long}"


def test_no_import_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, f"import cycles: {cycles}"


def test_nothing_imports_up_the_flow() -> None:
    upward = []
    for module, imported in _graph().items():
        key, level = _layer_of(module)
        for target in imported:
            target_key, target_level = _layer_of(target)
            if target_key == "qa" or target_key == key:
                continue
            if target_level > level or (target_level == level and target_key != key):
                upward.append(f"{module} -> {target}")
    assert not upward, f"imports against the data flow: {upward}"


def test_the_data_flow_packages_exist() -> None:
    for package in ("text", "ingest", "embed", "index", "pipeline", "apps"):
        assert (QA / package / "__init__.py").is_file(), package


def test_only_settings_reads_the_environment() -> None:
    readers = sorted(
        _module_name(p)
        for p in QA.rglob("*.py")
        if "os.environ" in (text := p.read_text(encoding="utf-8")) or "os.getenv" in text
    )
    assert readers == ["qa.settings"], readers
