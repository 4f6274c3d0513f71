"""Fixtures for the search tests: a built fixture archive and the client run under Node."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitegen.cli import main

from .corpus import fixture_archive

NODE_RUNNER = Path(__file__).parent / "node" / "run_client.mjs"


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write an archive's files under ``root``."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def build(root: Path, *args: str) -> None:
    """Build the archive in-process with the real command line; fail on errors."""
    assert main(["build", str(root), "-q", *args]) == 0


@pytest.fixture(scope="session")
def built_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture archive, built once for the session (do not modify it)."""
    root = write_files(tmp_path_factory.mktemp("search") / "archive", fixture_archive())
    build(root)
    return root


def node_path() -> str:
    """The node executable; skipped locally when missing, a failure under CI."""
    node = shutil.which("node")
    if node is None:
        message = "Node.js 20 is needed for the client tests: apt-get install -y nodejs"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return node


RunNode = Callable[[dict[str, Any]], Any]


@pytest.fixture
def run_node() -> RunNode:
    """Run the Node runner with a JSON request; returns its JSON answer."""
    node = node_path()

    def run(request: dict[str, Any]) -> Any:
        result = subprocess.run(
            [node, str(NODE_RUNNER)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return run
