"""The browser client and ``sitegen search`` (whoosh) rank alike on the fixture archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.util.numeric import _length_byte_cache

from sitegen.search.analysis import LENGTH_TABLE
from sitegen.search.whoosh_index import search_archive, update_whoosh_index

from .conftest import RunNode
from .test_client_node import search

PARITY_QUERIES = [
    "ferry",
    "sanctions",
    "battery ferry",
    "harbour OR port",
    "ferry -battery",
    "(grid OR storage) AND NOT coal",
    '"battery fires"',
    '"flood warning"',
    "title:council",
    "topic:energy",
    "topic:transport ferry",
    'source:"coastal wire"',
    "author:castell",
    "date:[2021 TO 2022] ferry",
    "date:2023",
    "date:>=2024-06 council",
    "fer*",
    "sanct* harbour",
    "strikes unions workers",
    "the ferries were sanctioned",
    "санкции",
    "수상버스를",
    "fähre OR ferry",
    "zygomorphic",
    "nothingmatchesthis",
]


def test_whoosh_uses_the_length_bytes_the_static_index_assumes() -> None:
    assert list(LENGTH_TABLE) == list(_length_byte_cache)


def whoosh_top(root: Path, query: str) -> list[tuple[str, float]]:
    return [(hit.url, hit.score) for hit in search_archive(root, query, limit=10).hits]


def test_top_ten_agree_with_whoosh(run_node: RunNode, built_archive: Path) -> None:
    update_whoosh_index(built_archive)
    answer = search(run_node, built_archive / "site", *[(q, {"limit": 10}) for q in PARITY_QUERIES])
    overlaps: list[float] = []
    for query, result in zip(PARITY_QUERIES, answer["searches"], strict=True):
        client: list[dict[str, Any]] = result["results"]
        whoosh = whoosh_top(built_archive, query)
        # Overlap out of ten, counted on the shorter of "ten" and the longer list.
        shared = len({hit["url"] for hit in client} & {url for url, _ in whoosh})
        overlaps.append(10 * shared / max(len(client), len(whoosh)) if client or whoosh else 10)
        # Equal analysis and equal BM25F: the same documents in the same order, equal scores.
        assert [hit["url"] for hit in client] == [url for url, _ in whoosh], query
        for hit, (_, score) in zip(client, whoosh, strict=True):
            assert abs(hit["score"] - score) <= 1e-9 * max(1.0, score), query
    assert sum(overlaps) / len(overlaps) >= 9


def test_totals_agree_with_whoosh(run_node: RunNode, built_archive: Path) -> None:
    update_whoosh_index(built_archive)
    answer = search(run_node, built_archive / "site", *PARITY_QUERIES)
    for query, result in zip(PARITY_QUERIES, answer["searches"], strict=True):
        assert result["total"] == search_archive(built_archive, query, limit=0).total, query
