"""A small run of the benchmark harness: it runs, prints its figures, and its corpus is deterministic."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "bench"


def _corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def _tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def test_benchmark_runs_and_prints_its_figures() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--articles", "200"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(re.fullmatch(r"[^:]+: \S.*", line) for line in lines), result.stdout
    wall = re.search(r"^cold build wall: (\d+\.\d+) s$", result.stdout, re.MULTILINE)
    assert wall is not None, result.stdout
    assert float(wall.group(1)) > 0
    assert "warm == cold output: yes" in lines
    assert "corpus articles: 200" in lines
    assert "cold build articles built: 200" in lines
    assert re.search(r"^search index files: [1-9]\d*$", result.stdout, re.MULTILINE), result.stdout
    assert re.search(r"^search two-word query download max: \d+\.\d kB$", result.stdout, re.MULTILINE)
    assert "search queries compared with whoosh: 50" in lines
    assert not [line for line in lines if "not implemented yet" in line]
    assert "pelican build wall: n/a (run with --compare)" in lines


def test_corpus_is_deterministic_and_builds(tmp_path: Path) -> None:
    generate: Callable[..., None] = _corpus_module().generate_corpus
    generate(tmp_path / "first", 100, seed=1)
    generate(tmp_path / "again", 100, seed=1)
    generate(tmp_path / "other", 100, seed=2)
    first = _tree(tmp_path / "first")
    assert len([name for name in first if name.endswith(".md")]) == 100
    assert "sitegen.yaml" in first
    assert first == _tree(tmp_path / "again")
    assert first != _tree(tmp_path / "other")

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))}
    built = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", str(tmp_path / "first"), "-o", str(tmp_path / "site"), "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    assert (tmp_path / "site" / "index.html").is_file()


def test_corpus_command_line_writes_the_articles(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "corpus.py"), "--articles", "20", "--out", str(tmp_path), "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    articles = sorted((tmp_path / "content").rglob("*.md"))
    assert len(articles) == 20
    text = articles[0].read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: ")
    assert 500 <= len(text.split("\n---\n", 1)[1].split()) <= 900
    assert 'base_url: "https://bench.example/"' in (tmp_path / "sitegen.yaml").read_text(encoding="utf-8")
