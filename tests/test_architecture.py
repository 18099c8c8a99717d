"""The project's layering, read from its own source: who imports whom.

Each Python file of the two wings (``roles/``, the learning module, and ``site/tpmsite/``, the
platform) is parsed with ``ast``; every import counts, at module level or inside a function,
since an import deferred into a function still makes one module depend on another (it only
hides a cycle from Python, not from the design). The rules:

1. the platform (``tpmsite``, ops included) never imports the learning module;
2. ``roles.comparison`` never reaches ``roles.models``: callers pass pages and querysets in;
3. no cycles among the project's modules.

A package ``__init__`` that re-exports its submodules is no cycle: ``from .x import y`` there
is an edge from the package to ``x``, and importing ``roles.models.base`` is an edge to that
module only (not to the package ``roles.models`` Python also runs first). An import of
``roles.models`` is an edge to ``roles/models/__init__.py``. Dependencies by name (a URLconf
included as a string, ``apps.get_model``) are not imports and are not seen here.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"roles": ROOT / "roles", "tpmsite": ROOT / "site" / "tpmsite"}


@dataclass(frozen=True)
class Import:
    source: str  # module names, e.g. roles.models.comparison
    target: str
    file: Path
    line: int

    def __str__(self):
        shown = self.file.relative_to(ROOT) if self.file.is_relative_to(ROOT) else self.file
        return f"{shown}:{self.line} ({self.source} -> {self.target})"


def project_modules(packages=PACKAGES):
    """{module name: file} for every Python file of the given top-level packages."""
    modules = {}
    for folder in packages.values():
        for file in sorted(folder.rglob("*.py")):
            parts = file.relative_to(folder.parent).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = file
    return modules


def _known(name, modules):
    """The longest prefix of a dotted name that is a project module (None for others)."""
    parts = name.split(".")
    while parts and ".".join(parts) not in modules:
        parts.pop()
    return ".".join(parts) or None


def imports_of(name, file, modules):
    """Every import of a project module in one file, at any depth of the syntax tree."""
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from package import module" imports the module; "from module import name",
            # the module itself.
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            module = _known(target, modules)
            if module and module != name:
                yield Import(name, module, file, node.lineno)


def import_graph(packages=PACKAGES):
    """{module: [Import, ...]} over the given packages' files."""
    modules = project_modules(packages)
    return {name: list(imports_of(name, file, modules)) for name, file in modules.items()}


def find_path(graph, start, goal):
    """The imports leading from ``start`` to a module ``goal(name)`` accepts (breadth first),
    or None."""
    seen, queue = {start}, [(start, [])]
    while queue:
        name, path = queue.pop(0)
        for edge in graph.get(name, []):
            if goal(edge.target):
                return [*path, edge]
            if edge.target not in seen:
                seen.add(edge.target)
                queue.append((edge.target, [*path, edge]))
    return None


def reachable(graph, start):
    seen, queue = set(), [start]
    while queue:
        for edge in graph.get(queue.pop(), []):
            if edge.target not in seen:
                seen.add(edge.target)
                queue.append(edge.target)
    return seen


def cycles(graph):
    """One shortest cycle (as its imports) per group of modules that import each other:
    breaking it shows the group's next one, if any."""
    found, done = [], set()
    for name in sorted(graph):
        if name in done:
            continue
        path = find_path(graph, name, lambda target, name=name: target == name)
        if path:
            found.append(path)
            ahead = reachable(graph, name)
            done.update(other for other in ahead if name in reachable(graph, other))
    return found


def describe(path):
    return "\n    ".join(str(edge) for edge in path)


def in_package(package):
    return lambda name: name == package or name.startswith(package + ".")


# The graph of the real project, read once (about 100 files).
GRAPH = import_graph()


def test_the_graph_sees_imports_at_every_level():
    """Positive controls: a rule met by reading nothing would prove nothing."""
    assert len(GRAPH) > 50
    edges = {(edge.source, edge.target) for edges in GRAPH.values() for edge in edges}
    # Module level, from a model file to the matrix it builds.
    assert ("roles.models.comparison", "roles.comparison.matrix") in edges
    # A package re-exporting its submodules, relative import.
    assert ("roles.models", "roles.models.comparison") in edges
    # Inside a method: the v2 API's related rows read the page classes when called.
    assert ("roles.api", "roles.models") in edges


def test_a_cycle_through_a_function_level_import_is_named_with_its_lines(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from .a import thing\n")
    (package / "a.py").write_text("from pkg.b import other\n\nthing = 1\n")
    (package / "b.py").write_text("other = 2\n\n\ndef late():\n    from . import a\n")
    (package / "c.py").write_text("import pkg.a\n")
    found = cycles(import_graph({"pkg": package}))
    assert len(found) == 1
    message = describe(found[0])
    assert "pkg/a.py:1 (pkg.a -> pkg.b)" in message
    assert "pkg/b.py:5 (pkg.b -> pkg.a)" in message


@pytest.mark.parametrize(
    "lower, upper",
    [
        ("tpmsite", "roles"),  # the platform never imports the learning module
        ("roles.comparison", "roles.models"),  # the comparison is built from pages given to it
    ],
)
def test_a_lower_layer_never_reaches_an_upper_one(lower, upper):
    offending = [
        path
        for name in GRAPH
        if in_package(lower)(name)
        for path in [find_path(GRAPH, name, in_package(upper))]
        if path
    ]
    if offending:
        pytest.fail(f"{lower} reaches {upper}:\n    " + "\n\n    ".join(map(describe, offending)))


def test_no_import_cycles():
    found = cycles(GRAPH)
    if found:
        pytest.fail("import cycles:\n" + "\n\n".join(f"    {describe(path)}" for path in found))
