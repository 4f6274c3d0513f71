"""The static index under site/search/: its files, and what a rebuild rewrites."""

from __future__ import annotations

import json
import marshal
import random
import re
import shutil
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import MakeSite, Run, article, tree_bytes

from sitegen.config import Config
from sitegen.model import Article
from sitegen.search import layout, postings, static_index
from sitegen.search.analysis import CHUNK_CHARS, Analysis, analyse_article, split_text, tokenize
from sitegen.search.cache import decode_record, encode_record, index_record
from sitegen.search.documents import document_text
from sitegen.search.static_index import (
    ALPHABET,
    GLOBAL_FILE,
    IndexState,
    StaticIndexer,
    analyses_of,
    build_static_index,
    classic_script,
    fnv1a,
    parse_data_file,
    shard_of,
    varint,
)
from sitegen.site import assemble_site

SitegenRun = Callable[..., Run]


def small_archive(make_site: MakeSite) -> Path:
    return make_site(
        {
            "content/ferry.md": article(
                "Harbour ferry runs on batteries",
                "2024-03-05",
                "The ferries now run on batteries.\n\nCharging takes ten minutes.",
                topics='["Energy", "Transport"]',
                author='"Mira Castell"',
                source='"Coastal Wire"',
            ),
            "content/rail.md": article("Rail strike ends", "2023-07-01", "Train drivers voted to end the strike."),
            "content/flood.md": article("River flood warning", "2022-11-12", "The river rose after storms."),
        }
    )


def search_files(root: Path) -> dict[str, bytes]:
    return {path: data for path, data in tree_bytes(root / "site").items() if path.startswith("search/")}


def test_every_data_file_registers_its_own_path(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = small_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    files = search_files(root)
    data_files = [p for p in files if p.endswith(".js") and "sitegen-search" not in p]
    assert {"search/meta.js", "search/dates.js", "search/facets.js"} <= set(data_files)
    for path in data_files:
        text = files[path].decode("utf-8")
        relative = path.removeprefix("search/")
        assert text.startswith(f'sitegenSearch.register("{relative}", ') and text.endswith(");\n"), path
        parse_data_file(files[path])
    meta = parse_data_file(files["search/meta.js"])
    assert isinstance(meta, dict)
    assert meta["docs"] == 3 and meta["slots"] == 3
    assert meta["fields"] == ["title", "summary", "body", "topics", "tags", "authors", "source"]
    assert (meta["b"], meta["k1"]) == (0.75, 1.2)
    assert meta["shards"] >= 1 and meta["shards"] & (meta["shards"] - 1) == 0
    assert (root / "site/search/index.html").is_file()
    assert (root / "site/search" / GLOBAL_FILE).is_file()


def test_documents_are_numbered_oldest_first_and_hold_their_text(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = small_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    doc = parse_data_file((root / "site/search/d/0/2.js").read_bytes())
    assert isinstance(doc, dict)
    assert doc == {
        "u": "/2024/03/ferry/",
        "t": "Harbour ferry runs on batteries",
        "d": "2024-03-05",
        "s": "The ferries now run on batteries.",
        "a": ["Mira Castell"],
        "k": ["Energy", "Transport"],
        "r": "Coastal Wire",
        "l": "",  # the opening is kept only when there is no summary to show instead
        "h": [],
        "c": [7],
        "x": ["The ferries now run on batteries.\nCharging takes ten minutes."],
    }
    assert parse_data_file((root / "site/search/d/0/0.js").read_bytes())["u"] == "/2022/11/flood/"  # type: ignore[index]


def test_terms_live_in_the_shard_their_hash_names(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = small_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    meta = parse_data_file((root / "site/search/meta.js").read_bytes())
    assert isinstance(meta, dict)
    split = frozenset(meta["split"])
    for term in tokenize("Harbour ferry runs on batteries; train drivers voted", "en"):
        shard = parse_data_file((root / f"site/search/t/{shard_of(term, split, meta['shards'])}.js").read_bytes())
        assert isinstance(shard, dict) and term in shard


def test_varints_and_hash_are_the_documented_ones() -> None:
    assert ALPHABET[:3] == "!#$" and len(ALPHABET) == 90 and '"' not in ALPHABET and "\\" not in ALPHABET
    assert [varint(v) for v in (0, 44, 45, 2024, 2025)] == ["!", "N", "P!", "|N", "PO!"]
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C  # the published FNV-1a test vector


def test_one_changed_article_rewrites_only_its_files(make_site: MakeSite, sitegen: SitegenRun) -> None:
    files = {f"content/s{n}.md": article(f"Story {n}", f"2020-01-{n + 1:02d}", f"Words w{n} common.") for n in range(9)}
    files["content/rail.md"] = article("Rail strike ends", "2023-07-01", "Train drivers voted to end the strike.")
    root = make_site(files)
    assert sitegen("build", cwd=root).code == 0
    before = search_files(root)
    rail = root / "content/rail.md"
    rail.write_text(rail.read_text().replace("voted to end the strike", "voted to end the zeppelin strike"))
    assert sitegen("build", cwd=root).code == 0
    after = search_files(root)
    changed = {path for path in after if before.get(path) != after[path]}
    meta = parse_data_file(after["search/meta.js"])
    assert isinstance(meta, dict) and meta["shards"] == 1
    # Only the rail story's document and the shards of its words may change (with one shard,
    # that is the one shard), and the vocabulary files its new word goes in ("zeppelin": 8
    # letters, first "z", last "n"); every other document, the dates and the facets stay.
    assert changed == {"search/meta.js", "search/d/0/9.js", "search/t/0.js", "search/p/0.js"} | {
        "search/v/keys.js",
        "search/v/8f7a.js",
        "search/v/8l6e.js",
    }


def test_new_articles_keep_everyone_elses_ids(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = small_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    docs = {p: d for p, d in search_files(root).items() if p.startswith("search/d/")}
    (root / "content/older.md").write_text(article("An old story", "2001-01-01", "Archive text."))
    assert sitegen("build", cwd=root).code == 0
    after = search_files(root)
    for path, data in docs.items():
        assert after[path] == data
    assert parse_data_file(after["search/d/0/3.js"])["u"] == "/2001/01/older/"  # type: ignore[index]


def test_removed_articles_leave_a_hole_that_the_next_one_fills(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = small_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    (root / "content/rail.md").unlink()
    assert sitegen("build", cwd=root).code == 0
    assert not (root / "site/search/d/0/1.js").exists()
    dates = parse_data_file((root / "site/search/dates.js").read_bytes())
    assert isinstance(dates, str) and dates[3:6] == "~~~"
    (root / "content/new.md").write_text(article("A new story", "2025-01-01", "Text."))
    assert sitegen("build", cwd=root).code == 0
    assert parse_data_file((root / "site/search/d/0/1.js").read_bytes())["u"] == "/2025/01/new/"  # type: ignore[index]


def test_a_fresh_cache_gives_the_same_index(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = small_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    before = search_files(root)
    for path in (root / ".sitegen/search").iterdir():
        path.unlink()
    assert sitegen("build", cwd=root).code == 0
    assert search_files(root) == before


def test_records_that_cannot_be_read_are_analysed_again(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = small_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    before = search_files(root)
    bad = [
        b"not compressed",
        zlib.compress(b"not a marshal"),
        zlib.compress(marshal.dumps(("too", "short"))),
        zlib.compress(marshal.dumps(tuple(range(9)))),  # the right length, the wrong kinds
    ]
    with sqlite3.connect(root / ".sitegen/search/search.sqlite") as db:
        keys = [key for (key,) in db.execute("SELECT key FROM record")]
        assert len(keys) == 3
        for key, blob in zip(keys, bad, strict=False):
            assert decode_record(key, blob) is None
            db.execute("UPDATE record SET data = ? WHERE key = ?", (blob, key))
    shutil.rmtree(root / "site")  # no index files to reuse: every record is read
    assert sitegen("build", cwd=root).code == 0
    assert search_files(root) == before
    with sqlite3.connect(root / ".sitegen/search/search.sqlite") as db:
        records = [decode_record(key, blob) for key, blob in db.execute("SELECT key, data FROM record")]
    assert len(records) == 3 and all(record is not None for record in records)


def test_a_record_reads_back_as_it_was_stored() -> None:
    body = "<p>Ferries run late.</p><p>The harbour’s tides – and costs – rose again.</p>"
    source = Article(
        path="a.md",
        slug="a",
        url="/2024/01/a/",
        title="Tides \x1f & ferries",
        date=date(2024, 1, 2),
        topics=("Ports",),
        authors=("Ana Lima",),
        summary="Late ferries.",
        body_html=body,
    )
    record = index_record(source)
    assert decode_record(record.key, encode_record(record)) == record


def test_a_damaged_cache_is_rebuilt_with_a_warning(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = small_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    before = search_files(root)
    (root / ".sitegen/search/search.sqlite").write_bytes(b"this is not a database" * 100)
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert re.search(r"warning: the search cache was damaged \(.*\); rebuilding it", run.err), run.err
    assert search_files(root) == before


def test_facets_list_every_topic_source_and_author(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = small_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    facets = parse_data_file((root / "site/search/facets.js").read_bytes())
    assert isinstance(facets, dict)
    assert [row[:2] + row[3:] for row in facets["topics"]] == [["Energy", "energy", 1], ["Transport", "transport", 1]]
    assert [row[0] for row in facets["sources"]] == ["Coastal Wire"]
    assert [row[0] for row in facets["authors"]] == ["Mira Castell"]
    ids = parse_data_file((root / "site/search" / facets["topics"][0][2]).read_bytes())
    assert ids == varint(2)


def test_state_survives_bad_data() -> None:
    assert IndexState.from_json({"format": 1, "ids": {"/a/": 0, "/b/": 0}, "shards": 2, "split": []}) == IndexState()
    assert IndexState.from_json("nonsense") == IndexState()
    state = IndexState({"/a/": 3}, 4, frozenset({"co"}))
    assert IndexState.from_json(json.loads(json.dumps(state.to_json()))) == state


def test_the_classic_script_exposes_every_export() -> None:
    source = "export const A = 1;\nexport function b() {}\nexport async function c() {}\nconst d = 2;\n"
    script = classic_script(source)
    assert "export" not in script.replace("exports", "")
    assert "Object.assign(api, { A, b, c });" in script


def test_an_unchanged_archive_keeps_its_index_files(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = small_archive(make_site)
    assert sitegen("build", cwd=root).code == 0
    meta = root / "site/search/meta.js"
    shard = root / "site/search/t/0.js"
    written = meta.stat().st_mtime_ns
    assert sitegen("build", cwd=root).code == 0
    assert meta.stat().st_mtime_ns == written
    shard.unlink()
    assert sitegen("build", cwd=root).code == 0
    assert shard.is_file()


def test_text_is_cut_into_chunks_at_paragraphs() -> None:
    paragraphs = [f"Paragraph {n} " + "word " * (CHUNK_CHARS * 2 // 25) for n in range(6)]  # 0.4 chunk each
    chunks = split_text("\n".join(paragraphs))
    assert "\n".join(chunks).split("\n") == paragraphs
    assert all(len(chunk) <= CHUNK_CHARS for chunk in chunks)
    assert len(chunks) == 3
    long = "x" * 10 + " " + "y " * 2000
    assert all(len(chunk) <= 2 * CHUNK_CHARS for chunk in split_text(long))
    assert "".join(split_text(long)).replace(" ", "") == long.replace(" ", "")
    assert split_text("") == []


def test_document_text_keeps_the_chunks_the_analysis_cut() -> None:
    more = "More words. " * 200
    text = document_text(_analysis("The Ferries were SANCTIONED in 2024\n" + more))
    assert text.chunks == ("The Ferries were SANCTIONED in 2024", more.strip())


def _analysis(body: str) -> Analysis:
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n"))
    return analyse_article(
        Article(path="a.md", slug="a", url="/a/", title="A", date=date(2024, 1, 1), body_html=paragraphs)
    )


def _random_story(number: int, rng: random.Random, vocabulary: list[str], most_words: int) -> Article:
    """An article of random words from ``vocabulary``, topics, authors and source."""
    return Article(
        path=f"s{number}.md",
        slug=f"s{number}",
        url=f"/s{number}/",
        title=f"Story {number} {rng.choice(vocabulary)}",
        date=date(2020 + number % 3, 1 + number % 12, 1 + number % 28),
        body_html=f"<p>{' '.join(rng.choice(vocabulary) for _ in range(rng.randint(0, most_words)))}</p>",
        topics=tuple(rng.sample(["Energy", "Climate", "Transport"], rng.randint(0, 2))),
        authors=tuple(rng.sample(["Ann Lee", "Bo Chen"], rng.randint(0, 1))),
        source=rng.choice(["Coastal Wire", "Daily", None]),
    )


def test_an_indexer_kept_between_builds_writes_what_a_fresh_one_would(monkeypatch: pytest.MonkeyPatch) -> None:
    # Small limits, so that this small archive has big terms, split prefixes, shard counts
    # that change, and posting lists long enough to be kept in blocks.
    monkeypatch.setattr(static_index, "BIG_TERM", 400)
    monkeypatch.setattr(layout, "SHARD_TARGET", 300)
    monkeypatch.setattr(layout, "GROUP_MAX", 500)
    monkeypatch.setattr(postings, "BLOCK", 2)
    monkeypatch.setattr(postings, "_LONG", 4)
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(60)] + [f"wa{n}" for n in range(30)] + ["common"] * 20

    def words(low: int, high: int) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(low, high)))

    def story(number: int) -> Article:
        return _random_story(number, rng, vocabulary, 60)

    edits: list[Callable[[Article], Article]] = [
        lambda a: replace(a, body_html=f"<p>{words(0, 60)}</p>"),
        lambda a: replace(a, body_html=f"{a.body_html}<p>{words(1, 20)}</p>"),  # positions stay
        lambda a: replace(a, body_html=f"<p>{words(1, 20)}</p>{a.body_html}"),  # positions move
        lambda a: replace(a, date=date(2019, 1 + rng.randrange(12), 1 + rng.randrange(28))),
        lambda a: replace(a, topics=tuple(rng.sample(["Energy", "Climate", "Transport", "Health"], 2))),
        lambda a: replace(a, authors=(rng.choice(["Ann Lee", "Cy Dorn"]),)),
        lambda a: replace(a, source=rng.choice(["Coastal Wire", "Evening Post", None])),
        lambda a: replace(a, title=f"Retitled {words(1, 4)}"),
    ]
    stories = {number: story(number) for number in range(200)}
    analyses: dict[str, Analysis] = {}
    kept, told, state = StaticIndexer(), StaticIndexer(), IndexState()
    last: dict[str, Article] = {}
    shard_counts: set[int] = set()
    for step in range(16):
        for number in rng.sample(sorted(stories), 3):  # edit three, remove one, add one
            stories[number] = rng.choice(edits)(stories[number])
        del stories[rng.choice(sorted(stories))]
        stories[300 + step] = story(300 + step)
        if step == 5:  # most of them go: fewer shards
            for number in rng.sample(sorted(stories), len(stories) - 20):
                del stories[number]
        if step == 11:  # many come: more shards
            stories.update({number: story(number) for number in range(1000, 1400)})
        site = assemble_site(Config(), stories.values(), (), "")
        keys = {a.url: repr((a.title, a.date, a.body_html, a.topics, a.authors, a.source)) for a in site.articles}
        for a in site.articles:
            if keys[a.url] not in analyses:
                analyses[keys[a.url]] = analyse_article(a)
        source = analyses_of({a.url: analyses[keys[a.url]] for a in site.articles})
        fresh = StaticIndexer(kept=False).build(site, source, state, keys)
        again = kept.build(site, source, state, keys)
        # Told which articles may have changed, it looks at no other.
        now = {a.url: a for a in site.articles}
        changed = {url: now.get(url) for url in now.keys() | last.keys() if now.get(url) is not last.get(url)}
        hinted = told.build(site, source, state, keys, changed)
        assert again.files == fresh.files, f"step {step}"
        assert hinted.files == fresh.files, f"step {step}, told what changed"
        assert again.state == fresh.state == hinted.state
        state, last = again.state, now
        shard_counts.add(state.shards)
    assert any(path.startswith("t/b") for path in again.files)  # the big-term path was exercised
    assert state.split and len(shard_counts) > 1  # and so were splits and new shard counts


def test_a_one_off_index_built_in_passes_is_the_one_built_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(static_index, "BIG_TERM", 400)  # big terms too
    rng = random.Random(11)
    vocabulary = [f"w{n}" for n in range(80)] + ["common"] * 30 + ["été", "straße", "日本"]
    stories = [_random_story(number, rng, vocabulary, 80) for number in range(150)]
    site = assemble_site(Config(), stories, (), "")
    source = analyses_of({a.url: analyse_article(a) for a in site.articles})
    at_once = build_static_index(site, source).files
    monkeypatch.setattr(static_index, "DOCS_PER_PASS", 10)
    passes: list[tuple[int, int]] = []
    real_postings = static_index.OneOffPostings

    def counted(part: tuple[int, int]) -> postings.OneOffPostings:
        passes.append(part)
        return real_postings(part)

    monkeypatch.setattr(static_index, "OneOffPostings", counted)
    assert build_static_index(site, source).files == at_once
    assert (0, static_index.PASSES) in passes and (static_index.PASSES - 1, static_index.PASSES) in passes
