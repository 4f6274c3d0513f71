"""Queries readers type: folded names, version numbers, CJK names, words typed letter by letter.

Each runs in the browser client (under Node) and in ``sitegen search`` (whoosh) on one small
archive, and both must give the same articles in the same order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sitegen.search.whoosh_index import search_archive, update_whoosh_index

from .conftest import RunNode, build, write_files
from .corpus import english_articles
from .test_client_node import search, urls


def _post(title: str, day: str, body: str, **fields: object) -> str:
    lines = ["---", f"title: {json.dumps(title)}", f"date: {day}"]
    lines += [f"{name}: {json.dumps(value)}" for name, value in fields.items()]
    return "\n".join([*lines, "---", "", body, ""])


READERS = {
    "content/zasso.md": _post(
        "Worker threads grow up",
        "2024-01-10",
        "The worker pool now shares memory between threads.",
        author="Michaël Zasso",
    ),
    "content/niessen.md": _post(
        "Diagnostics for native addons",
        "2024-02-11",
        "Native addons report their loading errors clearly now.",
        author="Ruben Nießen",
    ),
    "content/ruby-330.md": _post(
        "Ruby 3.3.0 released",
        "2023-12-25",
        "Ruby 3.3.0 brings a faster parser. Upgrade from 3.2.2 when your gems allow it.",
    ),
    "content/ruby-322.md": _post(
        "Ruby 3.2.2 security fixes",
        "2023-03-30",
        "This release fixes CVE-2023-28755 in the URI parser; 3 gems changed and 0 were removed.",
    ),
    "content/cve.md": _post(
        "Advisory for CVE-2024-27280",
        "2024-03-21",
        "A buffer over-read in StringIO, tracked as CVE-2024-27280, is fixed.",
    ),
    "content/http2.md": _post(
        "Faster http2 streams",
        "2024-04-02",
        "The http2 client now reuses streams; http2 settings frames are smaller.",
    ),
    "content/http2scope.md": _post(
        "Scopes and telemetry",
        "2024-04-03",
        "The Http2Scope and Http2ScopeTimer classes measure requests. Http2Scope is new, Http2ScopeTimer "
        "too; Http2ScopeTimer reports timings.",
    ),
    "content/async.md": _post(
        "Asynchronous iterators in practice",
        "2024-04-20",
        "Asynchronous code reads well with iterators. An asynchronous iterator yields promises.",
    ),
    # The same words, as often: side by side in the older one only.
    "content/diag-together.md": _post(
        "Crash handling", "2023-06-01", "On a crash the runtime writes a diagnostic report to disk and stops."
    ),
    "content/diag-apart.md": _post(
        "Crash handling", "2023-06-02", "On a crash the runtime writes a report to disk and diagnostic stops."
    ),
    "content/zh.md": _post(
        "开源社区访谈",
        "2024-05-01",
        "本期我们采访了维护者沈鸿飞，他谈到了东京的电车和开源项目的未来。",
        language="zh",
    ),
    "content/ja.md": _post("東京の電車", "2024-05-02", "東京の電車はとても便利です。", language="ja"),
    "content/ko.md": _post("서울 수상버스", "2024-05-03", "서울시는 한강에서 전기 수상버스를 운항한다.", language="ko"),
}


@pytest.fixture(scope="module")
def readers_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"sitegen.yaml": 'title: "Readers"\nbase_url: "https://example.org/"\n'}
    files.update(english_articles(40, seed=11))
    files.update(READERS)
    root = write_files(tmp_path_factory.mktemp("readers") / "archive", files)
    build(root)
    update_whoosh_index(root)
    return root


def client_and_whoosh(run_node: RunNode, root: Path, *queries: str, prefix: bool = False) -> list[list[str]]:
    """Each query's result URLs, after checking the client and whoosh give the same ones."""
    answer = search(run_node, root / "site", *[(q, {"limit": 10, "prefix": prefix}) for q in queries])
    found: list[list[str]] = []
    for query, result in zip(queries, answer["searches"], strict=True):
        client: list[str] = urls(result)
        if not prefix:  # whoosh has no as-you-type mode: ``sitegen search`` takes "word*"
            whoosh = [hit.url for hit in search_archive(root, query, limit=10).hits]
            assert client == whoosh, query
        found.append(client)
    return found


def marked_words(result: dict[str, Any]) -> list[str]:
    return [part["text"] for hit in result["results"] for part in hit["snippet"] if part["match"]]


def test_names_are_found_without_their_accents(run_node: RunNode, readers_archive: Path) -> None:
    found = client_and_whoosh(run_node, readers_archive, "michael zasso", "niessen", "Nießen", "MICHAËL", "zässo")
    assert found == [
        ["/2024/01/zasso/"],
        ["/2024/02/niessen/"],
        ["/2024/02/niessen/"],
        ["/2024/01/zasso/"],
        ["/2024/01/zasso/"],
    ]


def test_version_numbers_are_single_terms(run_node: RunNode, readers_archive: Path) -> None:
    found = client_and_whoosh(run_node, readers_archive, "ruby 3.3.0", "3.2.2", "CVE-2024-27280", "cve-2023-28755")
    assert [sorted(urls) for urls in found] == [
        ["/2023/12/ruby-330/"],
        ["/2023/03/ruby-322/", "/2023/12/ruby-330/"],
        ["/2024/03/cve/"],
        ["/2023/03/ruby-322/"],
    ]
    (result,) = search(run_node, readers_archive / "site", "3.3.0")["searches"]
    assert set(marked_words(result)) == {"3.3.0"}


def test_chinese_and_japanese_names_inside_longer_runs(run_node: RunNode, readers_archive: Path) -> None:
    found = client_and_whoosh(run_node, readers_archive, "鸿飞", "沈鸿飞", "电车", "東京", "한강", "수상버스")
    assert found == [
        ["/2024/05/zh/"],
        ["/2024/05/zh/"],
        ["/2024/05/zh/"],
        ["/2024/05/ja/"],
        ["/2024/05/ko/"],
        ["/2024/05/ko/"],
    ]
    (result,) = search(run_node, readers_archive / "site", "鸿飞")["searches"]
    assert marked_words(result) == ["鸿飞"]  # only the name is marked inside its run of characters
    (hit,) = search_archive(readers_archive, "鸿飞", limit=10).hits
    assert [text for text, matched in hit.snippet if matched] == ["鸿飞"]


def test_a_whole_word_typed_outranks_the_longer_words_it_starts(run_node: RunNode, readers_archive: Path) -> None:
    whole, expanded = client_and_whoosh(run_node, readers_archive, "http2", "http2*")
    assert whole == ["/2024/04/http2/"]
    assert expanded == ["/2024/04/http2/", "/2024/04/http2scope/"]
    (typed, stopword, stopword_space) = search(
        run_node,
        readers_archive / "site",
        ("http2", {"prefix": True}),
        ("the", {"prefix": True}),
        ("the ", {"prefix": True}),
    )["searches"]
    assert urls(typed) == ["/2024/04/http2/", "/2024/04/http2scope/"]
    assert stopword["total"] == 0 and stopword_space["total"] == 0


def test_typos_find_the_word_meant_and_say_so(run_node: RunNode, readers_archive: Path) -> None:
    queries = ["asynchronus", "asyncrhonous iterators", "promsies", "xyzzyqq", "qqqqq"]
    found = client_and_whoosh(run_node, readers_archive, *queries)
    assert found == [["/2024/04/async/"], ["/2024/04/async/"], ["/2024/04/async/"], [], []]
    answer = search(run_node, readers_archive / "site", *queries)["searches"]
    suggestions = [result["suggestion"] for result in answer]
    assert suggestions == ["asynchronous", "asynchronous iterators", "promises", None, None]
    assert suggestions == [search_archive(readers_archive, q, limit=10).suggestion for q in queries]
    assert marked_words(answer[0])[0] == "Asynchronous"
    # The vocabulary is loaded only on a miss, and then only the files of the word's shape.
    assert not [
        f for f in search(run_node, readers_archive / "site", "iterators")["searches"][0]["files"] if f.startswith("v/")
    ]
    typo_files = [f for f in answer[0]["files"] if f.startswith("v/")]
    assert "v/keys.js" in typo_files and 1 < len(typo_files) <= 7


def test_a_word_as_typed_outranks_its_corrections(run_node: RunNode, readers_archive: Path) -> None:
    # "shares" is in one article: too few, so its near spellings ("share" stems alike, "shared",
    # "stares" ...) count too, but below the word as typed.
    (result,) = search(run_node, readers_archive / "site", "shares")["searches"]
    assert urls(result)[0] == "/2024/01/zasso/"
    assert client_and_whoosh(run_node, readers_archive, "shares")[0][0] == "/2024/01/zasso/"


def test_words_side_by_side_rank_first(run_node: RunNode, readers_archive: Path) -> None:
    together, reversed_order = client_and_whoosh(run_node, readers_archive, "diagnostic report", "report diagnostic")
    diag = ["/2023/06/diag-together/", "/2023/06/diag-apart/"]
    assert [url for url in together if url in diag] == diag  # the bonus lifts the older one
    assert [url for url in reversed_order if url in diag] == diag[::-1]  # no bonus: the newer one wins the tie
