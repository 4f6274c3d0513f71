"""The preview's search index: a kept indexer, the cache it reads and writes, and what a later build sees."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

from sitegen.config import Config
from sitegen.model import Article, Site
from sitegen.search import StaticIndexer, article_key, encode_record, index_record, search_index_files
from sitegen.search.cache import SearchCache
from sitegen.site import assemble_site


def story(number: int, body: str = "", **fields: object) -> Article:
    text = body or f"Story {number} tells of ferries, harbours and the weather in week {number}."
    article = Article(
        path=f"s{number}.md",
        slug=f"s{number}",
        url=f"/s{number}/",
        title=f"Story number {number}",
        date=date(2020, 1 + number % 12, 1 + number % 28),
        body_html=f"<p>{text}</p>",
        topics=("Energy",) if number % 3 else ("Transport", "Energy"),
        authors=("Mira Castell",) if number % 2 else (),
        source="Coastal Wire" if number % 4 else None,
    )
    return replace(article, **fields)  # type: ignore[arg-type]


class Preview:
    """A kept indexer over an archive at ``root``, fed records the way the load workers make them."""

    def __init__(self, root: Path) -> None:
        self.root, self.indexer = root, StaticIndexer()
        self.encoded: dict[str, bytes] = {}
        self.articles: dict[int, Article] = {}
        self.previous: dict[str, bytes | None] = {}
        self.files: dict[str, bytes | None] = {}  # the last build's
        self.changed: frozenset[str] | None = None  # what the last build said it changed

    def differences(self) -> set[str]:
        """The paths whose bytes the last build changed, added or dropped (by comparing them)."""
        before = self.previous
        return {path for path in before.keys() | self.files.keys() if before.get(path) != self.files.get(path)}

    def site(self) -> Site:
        return assemble_site(Config(), self.articles.values(), (), "")

    def build(self) -> dict[str, bytes | None]:
        site = self.site()
        for article in site.articles:
            key = article_key(article)
            if key not in self.encoded:
                self.encoded[key] = encode_record(index_record(article))
        made = search_index_files(site, self.root, None, self.encoded, self.indexer)
        self.previous, self.files, self.changed = self.files, dict(made.files), made.changed
        return self.files

    def from_scratch(self, folder: Path) -> dict[str, bytes | None]:
        """What a build with no kept indexer writes, given a copy of the cache as it is now."""
        shutil.copytree(self.root / ".sitegen", folder / ".sitegen")
        return dict(search_index_files(self.site(), folder, None, self.encoded).files)


def generation(root: Path) -> str:
    with SearchCache(root) as cache:
        return cache.generation()


def test_a_kept_indexer_writes_what_a_build_from_its_cache_would(tmp_path: Path) -> None:
    preview = Preview(tmp_path / "archive")
    preview.articles = {number: story(number) for number in range(12)}
    preview.build()
    edits = [
        lambda: preview.articles.update({3: story(3, "Ferries run on batteries now, and the harbour is quiet.")}),
        lambda: preview.articles.update({4: story(4, date=date(2019, 5, 5))}),
        lambda: preview.articles.update({5: story(5, topics=("Climate",))}),
        lambda: preview.articles.update({6: story(6, authors=("Ann Lee",), source="Daily")}),
        lambda: preview.articles.update({20: story(20)}),
        lambda: preview.articles.pop(7),
        lambda: preview.articles.update({21: story(21), 8: story(8, "Short.")}),
        lambda: preview.articles.update({3: story(3)}),
    ]
    saves = []
    for step, edit in enumerate(edits):
        edit()
        before = generation(preview.root)
        files = preview.build()
        assert files == preview.from_scratch(tmp_path / f"scratch-{step}"), f"step {step}"
        # The files it says it changed are those that did (and at most a few rewritten alike).
        assert preview.changed is not None and preview.differences() <= preview.changed, f"step {step}"
        assert len(preview.changed - preview.differences()) <= 3, f"step {step}"
        with SearchCache(preview.root) as cache:
            assert preview.indexer.state is not None and cache.state() == preview.indexer.state
            saves.append(cache.generation() != before)
            if saves[-1]:  # it stored this build: all of it
                manifest = cache.manifest()
                assert manifest == {a.url: article_key(a) for a in preview.site().articles}
                assert cache.stored(manifest.values()).keys() == set(manifest.values())
    assert any(saves) and not all(saves)  # new and removed articles change the state; edits need not


def test_an_edit_that_keeps_the_state_stores_nothing_and_rewrites_only_its_files(tmp_path: Path) -> None:
    preview = Preview(tmp_path / "archive")
    preview.articles = {number: story(number) for number in range(12)}
    first = preview.build()
    stored = generation(preview.root)
    preview.articles[3] = story(3, "The ferry timetable changed again this spring.")
    second = preview.build()
    assert generation(preview.root) == stored  # the ids and layout stayed: nothing for a later build to know
    changed = {path for path, data in second.items() if data is not first.get(path)}
    assert changed and not any(path.startswith("d/") and path != "d/0/3.js" for path in changed)
    # New words may add vocabulary files for typos; nothing else of other articles changes.
    assert not any(path.startswith("x/") for path in changed)
    assert second == preview.from_scratch(tmp_path / "scratch")  # the cache still makes the same files


def test_another_build_saving_in_between_is_noticed(tmp_path: Path) -> None:
    preview = Preview(tmp_path / "archive")
    preview.articles = {number: story(number) for number in range(12)}
    preview.build()
    preview.articles[30] = story(30)
    # `sitegen build` of the same archive saves the cache (from its own state) meanwhile.
    search_index_files(preview.site(), preview.root, None, preview.encoded)
    preview.articles.pop(2)
    files = preview.build()
    assert files == preview.from_scratch(tmp_path / "scratch")
    assert preview.changed is None or preview.differences() <= preview.changed
    with SearchCache(preview.root) as cache:
        assert cache.manifest() == {a.url: article_key(a) for a in preview.site().articles}
