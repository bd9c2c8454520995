"""Dependencies point one way: core <- scan <- honeycomb <- actions, honeycomb <- pulse,
scan <- sso, and cms on top. README.md says the same (a test below holds them together).

Read by the parser, never imported: these tests see the code as a reader does.
"""

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("core", "scan", "honeycomb", "actions", "pulse", "sso", "cms")
# The arrows: each app and the apps it builds on directly. The pulse builds on the honeycomb:
# it adds panels to the honeycomb's pages (honeycomb.extensions) and draws its scorecard
# with the honeycomb's PDF and slide makers.
BUILDS_ON: dict[str, set[str]] = {
    "core": set(),
    "scan": {"core"},
    "honeycomb": {"scan"},
    "actions": {"honeycomb"},
    "pulse": {"honeycomb"},
    "sso": {"scan"},
    "cms": {"actions", "pulse", "sso"},
}


def reachable(app: str) -> set[str]:
    """Every app ``app`` may import: those it builds on, and theirs."""
    found: set[str] = set()
    todo = list(BUILDS_ON[app])
    while todo:
        if (below := todo.pop()) not in found:
            found.add(below)
            todo.extend(BUILDS_ON[below])
    return found


FORBIDDEN = {
    app: set(APPS) - reachable(app) - {app} for app in APPS if set(APPS) - reachable(app) - {app}
}
MAX_LINES = 400


def app_modules(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def resolve(
    path: Path, node: ast.Import | ast.ImportFrom, root: Path = ROOT
) -> tuple[str, list[str]]:
    """(module, names) of an import statement, the module as an absolute dotted name."""
    if isinstance(node, ast.Import):
        return "", [alias.name for alias in node.names]
    if node.level:
        package = module_name(path, root).split(".")
        if not is_package(path):
            package.pop()
        base = package[: len(package) - (node.level - 1)]
        return ".".join([*base, node.module] if node.module else base), [
            alias.name for alias in node.names
        ]
    return node.module or "", [alias.name for alias in node.names]


def all_imports(path: Path) -> list[str]:
    """Every module an import anywhere in the file may name (``from x import y`` names both
    ``x`` and ``x.y``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import | ast.ImportFrom):
            module, names = resolve(path, node)
            found += names if not module else [module, *(f"{module}.{n}" for n in names)]
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_time_statements(path: Path) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: the module body, including ``try`` and
    ``if`` blocks and class bodies, but not functions or ``if TYPE_CHECKING``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(statements):
        for node in statements:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(node)
            elif isinstance(node, ast.If):
                if not _is_type_checking(node):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                for block in (node.body, node.orelse, node.finalbody):
                    visit(block)
                for handler in node.handlers:
                    visit(handler.body)
            elif isinstance(node, ast.With | ast.ClassDef):
                visit(node.body)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def every_import_statement(path: Path) -> list[ast.Import | ast.ImportFrom]:
    """Every import of the module, those inside functions too (they run later, but a module
    that needs another which needs it back is a circle all the same); ``if TYPE_CHECKING``
    blocks are left out: they never run."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def import_graph(
    paths: list[Path],
    root: Path = ROOT,
    statements: Callable[[Path], list[ast.Import | ast.ImportFrom]] = import_time_statements,
) -> dict[str, set[str]]:
    """Module -> the modules of the same set it loads at import time.

    ``from pkg import sub`` loads the submodule; it loads ``pkg`` too, unless ``pkg`` is a
    package the importing module sits in (then it is being loaded already, and Python finds
    the submodule even though the package has not finished). ``from pkg import name`` needs
    ``pkg`` to have finished, so that is an edge even from inside the package."""
    modules = {module_name(path, root): path for path in paths}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        ancestors = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
        targets: set[str] = set()
        for node in statements(path):
            module, names = resolve(path, node, root)
            if not module:  # import a.b.c loads a, a.b and a.b.c
                for dotted in names:
                    parts = dotted.split(".")
                    targets |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
                continue
            submodules = {f"{module}.{n}" for n in names if f"{module}.{n}" in modules}
            targets |= submodules
            if len(submodules) < len(names) or module not in ancestors:
                targets.add(module)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle in the graph as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def imported_modules(path: Path) -> set[str]:
    """The absolute module of every import in the file (inside functions too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_does_not_import_apps_that_depend_on_it(app):
    offenders = []
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        bad = {
            module for module in imported_modules(path) if module.split(".")[0] in FORBIDDEN[app]
        }
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert offenders == []


@pytest.mark.parametrize("app", APPS)
def test_modules_are_short_enough_to_read_in_one_sitting(app):
    too_long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in app_modules(app)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert too_long == []


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_another_apps_views(app):
    """Views are the top of an app; what another app needs belongs in a selector, presenter
    or service (or a Wagtail hook)."""
    offenders = []
    for path in app_modules(app):
        for target in all_imports(path):
            parts = target.split(".")
            if (
                len(parts) > 1
                and parts[0] in APPS
                and parts[0] != app
                and (parts[1] == "views" or parts[1].startswith("views_"))
            ):
                offenders.append(f"{path.relative_to(ROOT)} imports {target}")
    assert offenders == []


@pytest.mark.parametrize("app", APPS)
def test_no_import_cycles_inside_an_app(app):
    """Modules of one app never import each other in a circle when they are loaded (an import
    inside a function runs later and is not part of the circle)."""
    assert find_cycle(import_graph(app_modules(app))) is None


@pytest.mark.parametrize("app", APPS)
def test_no_import_cycle_hides_inside_a_function(app):
    """An import moved into a function to break a circle leaves the circle in the design: the
    code belongs in one of the two modules, or in a third both import."""
    assert find_cycle(import_graph(app_modules(app), statements=every_import_statement)) is None


def test_a_cycle_through_an_import_in_a_function_is_found(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    files = {
        "__init__.py": "",
        "results.py": "from . import selectors\n",
        "selectors.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from .models import Round\n"
            "def scores():\n    from .results import round_results\n"
        ),
        "models.py": "from .selectors import scores\n",
    }
    for name, text in files.items():
        (app / name).write_text(text)
    paths = sorted(app.rglob("*.py"))
    assert find_cycle(import_graph(paths, root=tmp_path)) is None
    assert find_cycle(import_graph(paths, root=tmp_path, statements=every_import_statement)) == [
        "app.selectors",
        "app.results",
        "app.selectors",
    ]
    (app / "selectors.py").write_text("def scores():\n    return 1\n")
    assert find_cycle(import_graph(paths, root=tmp_path, statements=every_import_statement)) is None


def readme_arrows() -> set[tuple[str, str]]:
    """(app, what it builds on) for every ``a`` ← ``b`` in the README's "Dependencies point one
    way" sentence."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    sentence = text[text.index("Dependencies point one way") :].split("\n\n")[0]
    sentence = sentence[: sentence.index("on top")]
    arrows = set()
    for chain in re.findall(r"`\w+`(?:\s*←\s*`\w+`)+", sentence):
        apps = re.findall(r"`(\w+)`", chain)
        arrows |= {(upper, lower) for lower, upper in zip(apps, apps[1:], strict=False)}
    return arrows


def test_the_readme_draws_the_arrows_this_test_enforces():
    enforced = {
        (app, lower) for app, lowers in BUILDS_ON.items() if app != "cms" for lower in lowers
    }
    assert readme_arrows() == enforced
    assert BUILDS_ON["cms"] | reachable("cms") == set(APPS) - {"cms"}  # cms on top


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_import_graph_sees_a_circle_at_import_time_only(tmp_path):
    app = tmp_path / "app"
    (app / "services").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "tasks.py": "from .services import answer_save\n",
        "services/__init__.py": "from .answers import answer_save\nfrom . import mail\n",
        "services/answers.py": "def answer_save():\n    from ..tasks import x\n",
        "services/mail.py": "from . import answers\n",
    }
    for name, text in files.items():
        (app / name).write_text(text)
    paths = sorted(app.rglob("*.py"))
    graph = import_graph(paths, root=tmp_path)
    assert graph["app.tasks"] == {"app.services"}
    # A module of a package may load a sibling through the package; a lazy import is no edge.
    assert graph["app.services.mail"] == {"app.services.answers"}
    assert graph["app.services.answers"] == set()
    assert find_cycle(graph) is None
    (app / "services/answers.py").write_text("from ..tasks import x\n")
    assert find_cycle(import_graph(paths, root=tmp_path)) == [
        "app.services",
        "app.services.answers",
        "app.tasks",
        "app.services",
    ]


def model_label_strings(path: Path) -> set[str]:
    """String constants shaped like a model label ("app.Model") or a lower-case lookup label
    ("app.model"), as used by ForeignKey, apps.get_model or ContentType lookups."""
    labels = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            app, dot, model = node.value.partition(".")
            if dot and app in APPS and model.isidentifier() and model[:1].isalpha():
                labels.add(node.value)
    return labels


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_no_model_label_of_a_higher_app_as_a_string(app):
    """A string label ("actions.ImprovementAction") hides an upward dependency from the
    import checks above; the lower app must not know the higher app's models at all."""
    offenders = [
        f"{path.relative_to(ROOT)}: {label!r}"
        for path in app_modules(app)
        for label in sorted(model_label_strings(path))
        if label.partition(".")[0] in FORBIDDEN[app]
    ]
    assert offenders == []
