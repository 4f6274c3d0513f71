"""Edits a curator makes to an archive, for the random edit-sequence tests.

Each takes the archive root and a seeded random generator; ``EDITS`` lists them all. The
preview's sequences (tests/serve/test_preview.py) and the command line's
(tests/reliability/test_cli_incremental.py) draw from the same list.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

from conftest import article

EDITS: list[Callable[[Path, random.Random], None]] = []


def edit(function: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    EDITS.append(function)
    return function


def article_files(root: Path) -> list[Path]:
    return sorted((root / "content").rglob("*.md"))


@edit
def edit_body(root: Path, rng: random.Random) -> None:
    path = rng.choice(article_files(root))
    text = path.read_text()
    path.write_text(text + f"\nAdded paragraph {rng.randint(0, 10**6)}.\n")


@edit
def revise_in_place(root: Path, rng: random.Random) -> None:
    """An edit that keeps the article's place: the preview's shortcut takes it."""
    path = rng.choice(article_files(root))
    text = path.read_text()
    if rng.random() < 0.5 and "\nupdated:" not in text:
        text = text.replace("\n---\n", f"\nupdated: 2025-0{rng.randint(1, 9)}-0{rng.randint(1, 9)}\n---\n", 1)
    else:
        text = text.replace("Body", f"Body revised {rng.randint(0, 99)}", 1) + "\nEnergy energy climate.\n"
    path.write_text(text)


@edit
def retitle_and_redate(root: Path, rng: random.Random) -> None:
    path = rng.choice(article_files(root))
    topics = rng.sample(["Energy", "Climate", "Transport", "energy"], rng.randint(0, 2))
    path.write_text(
        article(f"Title {rng.randint(0, 999)}", f"202{rng.randint(0, 4)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                f"Body {rng.random()}", topics=json.dumps(topics), tags=json.dumps(rng.sample(["a", "b", "c"], 2)))
    )  # fmt: skip


@edit
def add_article(root: Path, rng: random.Random) -> None:
    name = f"new-{rng.randint(0, 10**6)}"
    (root / "content/2024" / f"{name}.md").write_text(
        article(f"New {name}", f"2024-0{rng.randint(1, 9)}-0{rng.randint(1, 9)}", "Fresh.", author='["Ann Lee"]')
    )


@edit
def delete_article(root: Path, rng: random.Random) -> None:
    paths = article_files(root)
    if len(paths) > 2:
        rng.choice(paths).unlink()


@edit
def rename_article(root: Path, rng: random.Random) -> None:
    path = rng.choice(article_files(root))
    path.rename(path.with_name(f"renamed-{rng.randint(0, 10**6)}.md"))


@edit
def break_article(root: Path, rng: random.Random) -> None:
    path = rng.choice(article_files(root))
    path.write_text("---\ntitle: [unclosed\n---\n")


@edit
def edit_template(root: Path, rng: random.Random) -> None:
    footer = root / "templates/partials/footer.html"
    footer.parent.mkdir(parents=True, exist_ok=True)
    footer.write_text(f"<footer>Footer {rng.randint(0, 99)}</footer>\n")


@edit
def edit_config(root: Path, rng: random.Random) -> None:
    (root / "sitegen.yaml").write_text(f"title: Site {rng.randint(0, 99)}\nper_page: {rng.randint(1, 4)}\n")


@edit
def edit_asset(root: Path, rng: random.Random) -> None:
    path = rng.choice(article_files(root))
    path.write_text(path.read_text() + "\n![chart](chart.svg)\n")
    chart = path.parent / "chart.svg"
    if rng.random() < 0.5:
        chart.write_text(f"<svg xmlns='http://www.w3.org/2000/svg'><title>{rng.random()}</title></svg>")
    else:
        chart.unlink(missing_ok=True)
