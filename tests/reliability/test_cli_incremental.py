"""`sitegen build` after random edits gives the site a clean build gives, rewriting only what changed.

Each step makes one of the edits a curator makes (tests/edits.py), then builds as the
command line does, with the cache and site of the build before in place. Every few steps
the archive is copied and built afresh beside it: without the build cache (every article
parsed, related lists computed from scratch, every page rendered) but with the search
cache's document ids, which a clean build of the same archive history would have too (ids
stay put so that search file names do; a truly new archive numbers its documents anew).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from conftest import MakeSite, article, tree_bytes
from edits import EDITS, article_files, break_article, edit_body, revise_in_place

from sitegen.build import BuildOptions, build
from sitegen.cache import CACHE_DIR, CACHE_FILE
from sitegen.errors import SitegenError

TOPICS = ['["Energy"]', '["Climate"]', '["Energy", "Climate"]', '["Transport"]']
WORDS = ["grid", "turbine", "harbour", "ferry", "glacier", "drought", "tariff", "battery", "pylon", "levee"]


def _archive(make_site: MakeSite, rng: random.Random) -> Path:
    files = {"sitegen.yaml": "title: Incremental test\nper_page: 3\n"}
    for number in range(14):
        words = " ".join(rng.choices(WORDS, k=40))
        files[f"content/2024/story-{number}.md"] = article(
            f"Story {number}", f"2024-{number % 9 + 1:02d}-1{number % 10}", f"Body {number}. {words}.",
            topics=TOPICS[number % len(TOPICS)],
        )  # fmt: skip
    return make_site(files)


def _clean_build(root: Path, where: Path) -> dict[str, bytes]:
    """The site a build from scratch makes of the archive, with its search ids."""
    shutil.copytree(root, where, ignore=shutil.ignore_patterns("site"))
    (where / CACHE_DIR / CACHE_FILE).unlink(missing_ok=True)
    build(BuildOptions(root=where))
    return tree_bytes(where / "site")


def _stamps(site: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_edit_sequences_through_sitegen_build_match_a_clean_build(
    make_site: MakeSite, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    root = _archive(make_site, rng)
    site = root / "site"
    build(BuildOptions(root=root))
    single_parses = 0
    for step in range(18):
        before = _stamps(site)
        chosen = rng.choice(EDITS)
        chosen(root, rng)
        try:
            report = build(BuildOptions(root=root))
        except SitegenError:
            assert chosen is break_article
            assert _stamps(site) == before  # a failed build leaves the site as it was
            for path in article_files(root):
                if "[unclosed" in path.read_text():
                    path.write_text(article(f"Fixed {step}", "2023-05-05", "Repaired."))
            report = build(BuildOptions(root=root))
            assert report.parsed == 1  # the failed build kept the other articles' work
        if chosen in (edit_body, revise_in_place):
            single_parses += report.parsed == 1
        after = _stamps(site)
        for relative, (data, mtime) in after.items():
            if relative in before and before[relative][0] == data:
                assert before[relative][1] == mtime, f"{relative} was rewritten with the same bytes ({chosen.__name__})"
        if step % 4 == 3 or step == 17:
            assert tree_bytes(site) == _clean_build(root, tmp_path / f"clean-{step}"), f"after step {step}"
    assert single_parses > 0  # the sequence did edit single articles, each parsed alone
