"""No import circle in l10n/ (issue 13, "the house").

The graph of l10n's imports is read from the sources with :mod:`ast`: every import of an
l10n module, at module level or inside a function, absolute or relative (``from . import
x`` is the module x; ``from .x import name`` is the module x, or x.name when that is a
module). It must have no cycle, and every module must import in a fresh interpreter, one
after the other in dependency order (each import then runs that module alone, its
dependencies already loaded, so a failure names its module).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = "l10n"

Graph = dict[str, set[str]]


def modules(root: Path, package: str) -> dict[str, Path]:
    """Each module of *package* (a folder under *root*) by dotted name; a package is its ``__init__``."""
    found: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _base(module: str, is_package: bool, node: ast.ImportFrom) -> str | None:
    """The dotted name a ``from ... import`` starts from (None past the top of the tree)."""
    if not node.level:
        return node.module
    parts = module.split(".") if is_package else module.split(".")[:-1]
    if node.level - 1 > len(parts) - 1:
        return None
    anchor = parts[: len(parts) - (node.level - 1)]
    return ".".join([*anchor, node.module] if node.module else anchor)


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The modules among *known* that *module* (its source at *path*) imports, anywhere in it."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _base(module, is_package, node)
            if base is None:
                continue
            for alias in node.names:
                # "from .po import reader" imports the module l10n.po.reader; "from .errors
                # import CatalogError" the module l10n.errors.
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return (found & known) - {module}


def import_graph(root: Path, package: str) -> Graph:
    """Each module of *package* and the package's modules it imports."""
    sources = modules(root, package)
    known = set(sources)
    return {name: imports_of(name, path, known) for name, path in sources.items()}


def dependency_order(graph: Graph) -> list[str]:
    """The modules, each after those it imports; the test fails naming a circle if there is one."""
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        # graphlib lists each module before the one that imports it: reversed, "a -> b" reads
        # "a imports b".
        cycle: list[str] = exc.args[1]
        pytest.fail(f"import circle: {' -> '.join(reversed(cycle))}")


def test_l10n_has_no_import_circle() -> None:
    graph = import_graph(REPO, PACKAGE)
    assert {"l10n", "l10n.catalog", "l10n.po.reader", "l10n.project.building"} <= set(graph)
    order = dependency_order(graph)
    assert order.index("l10n.errors") < order.index("l10n.po.reader")


def test_every_module_imports_in_a_fresh_interpreter_in_dependency_order() -> None:
    # l10n.__main__ runs the command line when imported (python -m l10n): its imports are
    # in the graph, its running is test_cli's.
    order = [name for name in dependency_order(import_graph(REPO, PACKAGE)) if not name.endswith(".__main__")]
    assert "l10n.cli" in order
    script = (
        "import importlib, json, sys, traceback\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except BaseException:\n"
        "        sys.exit(f'importing {name} failed:\\n{traceback.format_exc()}')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(order)], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-4000:]


# --- the graph reader itself, on a package made for it ---------------------------------------


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


def test_the_graph_has_every_kind_of_import(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from . import b\nfrom .sub import c\nfrom .errors import Oops\n",
            "pkg/b.py": "def late():\n    import pkg.errors\n    from pkg.sub.c import thing\n",
            "pkg/errors.py": "import os\n",
            "pkg/sub/__init__.py": "from .. import errors\nfrom . import c\n",
            "pkg/sub/c.py": "from ..errors import Oops\nfrom ...elsewhere import x\n",
        },
    )
    assert import_graph(root, "pkg") == {
        "pkg": set(),
        "pkg.a": {"pkg.b", "pkg.sub.c", "pkg.errors"},
        "pkg.b": {"pkg.errors", "pkg.sub.c"},
        "pkg.errors": set(),
        "pkg.sub": {"pkg.errors", "pkg.sub.c"},
        "pkg.sub.c": {"pkg.errors"},
    }


def test_a_circle_through_a_function_level_import_is_named(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/catalog.py": "from .reader import read\n",
            "pkg/reader.py": "def read():\n    from . import catalog\n",
            "pkg/other.py": "from . import catalog\n",
        },
    )
    circle = r"import circle: (pkg\.catalog -> pkg\.reader -> pkg\.catalog|pkg\.reader -> pkg\.catalog -> pkg\.reader)$"
    with pytest.raises(pytest.fail.Exception, match=circle):
        dependency_order(import_graph(root, "pkg"))
