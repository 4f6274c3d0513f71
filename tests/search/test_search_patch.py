"""``sitegen build`` patches the static search index of the site in place when few articles changed.

"The same state" below: document ids are kept from build to build in the search cache
(``IndexState``), so an index patched after a change is compared with an index built from
scratch by a build that starts from the search cache as it was before that change (a copy
of ``.sitegen/search/`` taken then), with no build cache and no previous output: the same
ids, shards, split prefixes and big terms, every file made anew.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.parallel import MIN_ITEMS_FOR_WORKERS
from sitegen.search.encoding import code_table
from sitegen.search.postings import encode_field
from sitegen.search.splice import Edit, splice_term
from tests.conftest import MakeSite, Run, article, tree_bytes

WORDS = [
    *("harbour", "ferry", "tide", "gull", "storm", "lantern", "pier", "anchor", "rope", "keel", "mast", "sail"),
    *("dock", "crane", "cargo", "quay", "buoy", "reef", "shoal", "current", "brine", "kelp", "net", "trawler"),
    *("beacon", "squall", "fog", "dune", "cliff", "harbours", "ferries", "tides", "lanterns", "anchors"),
]


def _postings(rng: random.Random, docs: int) -> dict[int, dict[int, tuple[int, int, str]]]:
    """Random postings of one term: field -> document -> (frequency, length byte, positions code)."""
    codes = code_table()
    fields: dict[int, dict[int, tuple[int, int, str]]] = {}
    for field in rng.sample(range(8), rng.randint(1, 3)):
        chosen = sorted(rng.sample(range(docs), rng.randint(1, min(docs, 60))))
        fields[field] = {}
        for doc in chosen:
            frequency = rng.randint(1, 4)
            fields[field][doc] = (
                frequency,
                rng.randint(20, 60),
                "".join(rng.choice(codes[:3000]) for _ in range(frequency)),
            )
    return fields


def _codes(fields: dict[int, dict[int, tuple[int, int, str]]]) -> tuple[str, str]:
    """The term's codes as a build from scratch encodes them."""
    postings = places = ""
    for field in sorted(fields):
        entries = [(doc, frequency, byte) for doc, (frequency, byte, _) in sorted(fields[field].items())]
        if entries:
            postings += encode_field(field, entries)
            places += "".join(code for _, (_, _, code) in sorted(fields[field].items()))
    return postings, places


def test_splicing_documents_into_a_terms_codes_gives_the_codes_of_its_new_postings() -> None:
    rng = random.Random(7)
    for _ in range(400):
        fields = _postings(rng, 200)
        before = _codes(fields)
        edits: list[Edit] = []
        for doc in rng.sample(range(200), rng.randint(1, 4)):
            field = rng.choice([*fields, rng.randrange(8)])
            old = fields.setdefault(field, {}).get(doc)
            new = (
                None if rng.random() < 0.3 else (rng.randint(1, 3), rng.randint(10, 70), rng.choice(code_table()[:900]))
            )
            if new is None:
                fields[field].pop(doc, None)
            else:
                fields[field][doc] = new
            if old != new:
                edits.append(Edit(field, doc, old, new))
        assert splice_term(*before, edits) == _codes(fields)


def _story(rng: random.Random, number: int) -> str:
    """An article of a few dozen of ``WORDS``, some made up: terms come and go as stories change."""
    words = [rng.choice(WORDS) if rng.random() < 0.9 else f"word{rng.randrange(40)}" for _ in range(rng.randint(3, 80))]
    return article(
        title=f"Harbour notes {number} {rng.choice(WORDS)}",
        date=f"2021-0{1 + number % 9}-1{number % 9}",
        body=" ".join(words),
        topics=f"[Sea, Port {rng.randrange(4)}]",
    )


KEPT = {"content/kept.md": article(title="Kept article", body="A lighthouse keeper's log of harbour lights.")}


def _plant_tripwire(root: Path) -> None:
    """Make the stored analysis of the kept article unreadable: a build that reads every analysis
    (one from scratch) makes it anew, one that patches reads only the changed articles'."""
    with sqlite3.connect(root / ".sitegen" / "search" / "search.sqlite") as db:
        db.execute("UPDATE record SET data = X'00' WHERE key = (SELECT key FROM manifest WHERE url LIKE '%/kept/')")
    db.close()


def _tripwire_left(root: Path) -> bool:
    """Whether the kept article's planted record is still there (no build read every analysis)."""
    with sqlite3.connect(root / ".sitegen" / "search" / "search.sqlite") as db:
        (data,) = db.execute(
            "SELECT data FROM record WHERE key = (SELECT key FROM manifest WHERE url LIKE '%/kept/')"
        ).fetchone()
    db.close()
    return bytes(data) == b"\x00"


def _change(root: Path, rng: random.Random, names: list[str], counter: list[int]) -> None:
    """Edit, add or remove one to three articles."""
    for _ in range(rng.randint(1, 3)):
        action = rng.choice(("edit", "edit", "add", "remove") if len(names) > 3 else ("edit", "add"))
        if action == "add":
            counter[0] += 1
            names.append(f"content/n{counter[0]}.md")
            (root / names[-1]).write_text(_story(rng, counter[0]), encoding="utf-8")
        elif action == "remove":
            (root / names.pop(rng.randrange(len(names)))).unlink()
        else:
            path = root / rng.choice(names)
            text = path.read_text(encoding="utf-8")
            if rng.random() < 0.5:
                path.write_text(text + " " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9))) + "\n")
            else:
                path.write_text(text.replace(rng.choice(WORDS), rng.choice(WORDS)), encoding="utf-8")


def _append(path: Path, words: str) -> None:
    path.write_text(f"{path.read_text(encoding='utf-8')} {words}\n", encoding="utf-8")


def _copy(source: Path, target: Path) -> None:
    """Copy a file or a folder with its files' mtimes."""
    if source.is_dir():
        shutil.copytree(source, target, copy_function=shutil.copy2)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def _clean_index(root: Path, search_cache: Path, sitegen: Callable[..., Run], scratch: Path) -> dict[str, bytes]:
    """The search files of a build from scratch of ``root``'s articles, from the search cache ``search_cache``."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(root / "content", scratch / "content")
    shutil.copytree(search_cache, scratch / ".sitegen" / "search")
    assert sitegen("build", "-q", cwd=scratch).code == 0
    return tree_bytes(scratch / "site" / "search")


def _snapshot(root: Path, folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(root / ".sitegen" / "search", folder)
    return folder


def test_random_edits_patch_the_index_into_what_a_build_from_scratch_makes(
    make_site: MakeSite, sitegen: Callable[..., Run], tmp_path: Path
) -> None:
    rng = random.Random(5)
    names = [f"content/n{number}.md" for number in range(12)]
    root = make_site({**{name: _story(rng, number) for number, name in enumerate(names)}, **KEPT})
    assert sitegen("build", "-q", cwd=root).code == 0
    counter = [len(names)]
    for _ in range(8):
        _plant_tripwire(root)
        before = _snapshot(root, tmp_path / "before")
        _change(root, rng, names, counter)
        assert sitegen("build", "-q", cwd=root).code == 0
        assert _tripwire_left(root)  # patched: only the changed articles' analyses were read
        assert tree_bytes(root / "site" / "search") == _clean_index(root, before, sitegen, tmp_path / "scratch")


def _archive(
    make_site: MakeSite, sitegen: Callable[..., Run], rng: random.Random, count: int = 12
) -> tuple[Path, list[str]]:
    names = [f"content/n{number}.md" for number in range(count)]
    root = make_site({**{name: _story(rng, number) for number, name in enumerate(names)}, **KEPT})
    assert sitegen("build", "-q", cwd=root).code == 0
    return root, names


_REPLACE = "UPDATE setting SET value = replace(value, ?, ?) WHERE name = ?"
DAMAGE: dict[str, tuple[str, tuple[str, ...]]] = {  # SQL that damages the search cache, and its parameters
    "state unreadable": (_REPLACE, ('"ids"', '"idz"', "state")),
    "state of another format": (_REPLACE, ('"format": 3', '"format": 2', "state")),
    "layout of another version": (_REPLACE, ('"inputs": "', '"inputs": "0', "layout")),
    "layout unreadable": ("UPDATE setting SET value = '{\"inputs\": ' WHERE name = 'layout'", ()),
    "layout gone": ("DELETE FROM setting WHERE name = 'layout'", ()),
    "old analyses gone": (
        "DELETE FROM record WHERE key NOT IN (SELECT key FROM manifest WHERE url LIKE '%/kept/')",
        (),
    ),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_search_cache_makes_the_index_from_scratch(
    damage: str, make_site: MakeSite, sitegen: Callable[..., Run], tmp_path: Path
) -> None:
    rng = random.Random(11)
    root, names = _archive(make_site, sitegen, rng)
    _plant_tripwire(root)
    with sqlite3.connect(root / ".sitegen" / "search" / "search.sqlite") as db:
        contents = "SELECT group_concat(value) || (SELECT count(*) FROM record) FROM setting"
        undamaged = db.execute(contents).fetchone()
        db.execute(*DAMAGE[damage])
        assert db.execute(contents).fetchone() != undamaged
    db.close()
    before = _snapshot(root, tmp_path / "before")
    _change(root, rng, names, [len(names)])
    assert sitegen("build", "-q", cwd=root).code == 0
    if damage != "old analyses gone":  # (a build from scratch does not read a record it does not have)
        assert not _tripwire_left(root)  # not patched: every analysis was read
    assert tree_bytes(root / "site" / "search") == _clean_index(root, before, sitegen, tmp_path / "scratch")


def test_a_search_cache_from_another_archive_is_not_patched_from(
    make_site: MakeSite, sitegen: Callable[..., Run], tmp_path: Path
) -> None:
    rng = random.Random(13)
    other, _ = _archive(make_site, sitegen, rng)
    root = make_site(
        {**{f"content/n{number}.md": _story(rng, number) for number in range(10)}, **KEPT}, tmp_path / "mine"
    )
    names = [f"content/n{number}.md" for number in range(10)]
    assert sitegen("build", "-q", cwd=root).code == 0
    shutil.copyfile(other / ".sitegen" / "search" / "search.sqlite", root / ".sitegen" / "search" / "search.sqlite")
    before = _snapshot(root, tmp_path / "before")
    _change(root, rng, names, [len(names)])
    run = sitegen("build", "-q", cwd=root)
    assert (run.code, run.err) == (0, "")
    assert tree_bytes(root / "site" / "search") == _clean_index(root, before, sitegen, tmp_path / "scratch")


def test_what_a_build_saved_but_never_published_is_not_patched_from(
    make_site: MakeSite, sitegen: Callable[..., Run], tmp_path: Path
) -> None:
    """A build killed after it saved the search cache, before it swapped its site in and saved the
    build cache: simulated by putting the site and the build cache back as they were before it."""
    rng = random.Random(17)
    root, names = _archive(make_site, sitegen, rng)
    kept = [root / "site", root / ".sitegen" / "build-cache.json", root / ".sitegen" / "build-cache"]
    for path in kept:  # the site and the build cache (a main file and shards), mtimes kept
        _copy(path, tmp_path / "before-kill" / path.name)
    _append(root / names[0], "squall anchors lanterns")
    assert sitegen("build", "-q", cwd=root).code == 0
    for path in kept:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        _copy(tmp_path / "before-kill" / path.name, path)
    _plant_tripwire(root)
    before = _snapshot(root, tmp_path / "before")
    _append(root / names[1], "kelp beacon")  # patched onto the site in place, the edit above would be missed
    assert sitegen("build", "-q", cwd=root).code == 0
    assert not _tripwire_left(root)  # not patched: every analysis was read
    assert tree_bytes(root / "site" / "search") == _clean_index(root, before, sitegen, tmp_path / "scratch")


def test_the_index_made_in_a_child_process_is_patched_too(
    make_site: MakeSite, sitegen: Callable[..., Run], tmp_path: Path
) -> None:
    """With enough articles and jobs, the index is made by a child process writing into the staging folder."""
    rng = random.Random(19)
    names = [f"content/n{number}.md" for number in range(MIN_ITEMS_FOR_WORKERS)]
    root = make_site({**{name: _story(rng, number) for number, name in enumerate(names)}, **KEPT})
    assert sitegen("build", "-q", "--jobs", "2", cwd=root).code == 0
    counter = [len(names)]
    for _ in range(2):
        _plant_tripwire(root)
        before = _snapshot(root, tmp_path / "before")
        _change(root, rng, names, counter)
        assert sitegen("build", "-q", "--jobs", "2", cwd=root).code == 0
        assert _tripwire_left(root)  # patched: only the changed articles' analyses were read
        assert tree_bytes(root / "site" / "search") == _clean_index(root, before, sitegen, tmp_path / "scratch")
