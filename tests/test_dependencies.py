"""The dependency list is honest, and the HTML stack loads only when an HTML page is imported."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from conftest import MakeSite, article

REPO = Path(__file__).resolve().parent.parent
# courlan, a trafilatura dependency too, is no HTML parser: the importer normalises URLs with it.
HTML_STACK = ("trafilatura", "lxml", "justext", "htmldate")


def _normalized(name: str) -> str:
    """A distribution name as PEP 503 compares them (PyYAML == pyyaml, lxml_html_clean == lxml-html-clean)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared_dependencies() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
    return {_normalized(names.match(requirement)[0]) for requirement in project["dependencies"]}  # type: ignore[index]


def _top_level_imports(folder: Path) -> dict[str, Path]:
    """Every absolute module imported anywhere in the package's code (top-level name -> a file)."""
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                found.setdefault(module.split(".")[0], path)
    return found


def test_every_import_in_sitegen_is_a_declared_dependency() -> None:
    declared = _declared_dependencies()
    providers = packages_distributions()
    undeclared = []
    for module, path in sorted(_top_level_imports(REPO / "sitegen").items()):
        if module in sys.stdlib_module_names or module in ("sitegen", "__future__"):
            continue
        distributions = {_normalized(name) for name in providers.get(module, [module])}
        if not distributions & declared:
            undeclared.append(f"{path.relative_to(REPO)}: imports {module} ({', '.join(sorted(distributions))})")
    assert undeclared == []


def test_the_html_stack_is_declared_directly_for_old_pips() -> None:
    # pip before 23.3 does not match lxml's `html-clean` extra to `html_clean`: name the project itself.
    assert {"trafilatura", "lxml", "lxml-html-clean"} <= _declared_dependencies()


def _modules_loaded_by(code: str, cwd: Path) -> set[str]:
    """The top-level modules a fresh interpreter holds after running ``code`` (which must exit 0)."""
    script = f"import sys\n{code}\nprint(' '.join(sorted({{name.split('.')[0] for name in sys.modules}})))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_a_build_never_loads_the_html_stack(make_site: MakeSite) -> None:
    # Citations are formatted by citeproc-py, which reads CSL styles with lxml: none here.
    tide = article(title="Tide tables", topics='["Sea"]')
    root = make_site({"sitegen.yaml": "citation_styles: []\n", "content/2024/a.md": tide})
    loaded = _modules_loaded_by(f"from sitegen.cli import main\nassert main(['build', {str(root)!r}, '-q']) == 0", root)
    assert "jinja2" in loaded  # the build did run
    assert loaded.isdisjoint(HTML_STACK)


def test_formatting_citations_loads_lxml_and_nothing_else_of_the_html_stack(make_site: MakeSite) -> None:
    root = make_site({"content/2024/a.md": article(title="Tide tables", topics='["Sea"]')})
    loaded = _modules_loaded_by(f"from sitegen.cli import main\nassert main(['build', {str(root)!r}, '-q']) == 0", root)
    assert {"citeproc", "lxml"} <= loaded
    assert loaded.isdisjoint(set(HTML_STACK) - {"lxml"})


def test_importing_a_text_page_never_loads_the_html_stack(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(
        "Harbour cranes get a night shift\n\nPublished 03/05/2024\n\nThe port runs its cranes after dark.\n",
        encoding="utf-8",
    )
    code = "from sitegen.cli import main\nassert main(['import', 'page.txt']) == 0"
    loaded = _modules_loaded_by(code, tmp_path)
    assert (tmp_path / "content/2024/harbour-cranes-get-a-night-shift.md").is_file()
    assert loaded.isdisjoint(HTML_STACK)


def test_importing_an_html_page_loads_it(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<!doctype html><html><head><title>Cranes at night</title>"
        '<meta property="article:published_time" content="2024-03-05"></head>'
        "<body><article><h1>Cranes at night</h1><p>The port runs its cranes after dark, "
        "for the first time since the harbour opened, to clear the queue of ships.</p>"
        "<p>Workers on the new shift are paid a night premium agreed with the union.</p></article></body></html>",
        encoding="utf-8",
    )
    loaded = _modules_loaded_by("from sitegen.cli import main\nmain(['import', '--dry-run', 'page.html'])", tmp_path)
    assert {"trafilatura", "lxml"} <= loaded
