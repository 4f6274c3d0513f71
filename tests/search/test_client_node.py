"""The browser client under Node 20: the same analysis as Python, and searches on a built site."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from sitegen.config import Config
from sitegen.model import Article, Site
from sitegen.search.analysis import BOOSTS, FIELDS, FOLD_RANGES, LENGTH_TABLE, analyse_article, stem, tokenize
from sitegen.search.encoding import fnv1a
from sitegen.search.query import compile_query, parse_query, to_json
from sitegen.search.static_index import analyses_of, build_static_index

from .conftest import RunNode
from .corpus import FILLER, STEMS
from .test_analysis import PORTER
from .test_query import HOSTILE

CLIENT = Path(__file__).resolve().parents[2] / "sitegen" / "search" / "client" / "sitegen-search.js"

_MORE_WORDS = (
    "yelling yelled eed eeds ies sses ss y yy yes sky skies ying dying lying agreeing feeding bleeding "
    "hoping hopping filing filling controlling generously generalization relativity sensitivities "
    "rationalize rationalization happiness abundance dependency agreement adjustment a an i"
)
WORDS = sorted(set(PORTER) | set(STEMS) | set(FILLER) | set(_MORE_WORDS.split()))
TEXTS = [
    ("The Harbour's FERRIES were sanctioned in 2024.", "en"),
    ("Die Fähren fahren über den Fluss", "de"),
    ("Санкции введены против компаний; ПАРОМЫ", "ru"),
    ("서울시는 한강에서 전기 수상버스를 시범 운항", "ko"),
    ("東京の電車 हिन्दी भाषा café naïve ﬁnancial ＡＢＣ１２", "en"),
    ("snake_case a-b U.S. 40,000 1.2 ½ ² x" + "y" * 70, "en"),
    ("<b>bold</b> &amp; \u2028 \u00a0 tab\tand\nnewline", "en-GB"),
    ("Michaël Zasso, Nießen: Æsir Øresund Łódź Đorđe Þór œuvre İstanbul ΆΣΤΡΟΣ", "en"),
    ("".join(chr(code) for low, high in FOLD_RANGES for code in range(low, high + 1)), "fr"),
    ("Ruby 3.3.0 on v8, http2, CVE-2024-27280, v1.2rc1, python-3, node.js 2024-01-05 naïve 1.5", "en"),
    ("沈鸿飞 水 東京の電車 iPhone用户 서울시는 한강 " + "鸿" * 70, "zh"),
]
QUERIES = [
    "ferry",
    "the ferries sanctioned",
    '"battery ferry" OR port',
    "ferry -diesel",
    "(grid OR storage) AND NOT coal",
    "topic:energy author:castell",
    'source:"coastal wire"',
    "title:fer* bat*",
    "the*",
    "ruby 3.3.0 CVE-2024-27280",
    "沈鸿飞 Nießen",
    "date:[2020 TO 2021-06] flood",
    "date:>=2019-02 date:<2020",
    'title:"state of the art"',
    *HOSTILE,
]
EXPANSIONS = {"fer": [["ferri", 9], ["fern", 2], ["ferment", 2]], "bat": [["batteri", 20]]}


def python_expand(prefix: str, fields: tuple[str, ...]) -> list[tuple[str, int]]:
    return [(term, df) for term, df in EXPANSIONS.get(prefix, [])]


def test_stems_tokens_queries_and_lengths_agree_with_python(run_node: RunNode) -> None:
    answer = run_node(
        {
            "module": str(CLIENT),
            "analysis": {
                "words": WORDS,
                "texts": TEXTS,
                "queries": QUERIES,
                "expansions": EXPANSIONS,
                "fields": list(FIELDS),
                "boosts": dict(BOOSTS),
            },
        }
    )
    assert answer["stems"] == [stem(word) for word in WORDS]
    assert answer["tokens"] == [tokenize(text, language) for text, language in TEXTS]
    expected = [json.loads(json.dumps(to_json(compile_query(parse_query(q), python_expand)))) for q in QUERIES]
    for query, got, want in zip(QUERIES, answer["parsed"], expected, strict=True):
        assert got == want, query
    assert answer["lengthTable"] == list(LENGTH_TABLE)


def search(run_node: RunNode, site: Path, *queries: str | tuple[str, dict[str, Any]], classic: bool = False) -> Any:
    searches = [{"query": q} if isinstance(q, str) else {"query": q[0], "options": q[1]} for q in queries]
    key = "classic" if classic else "module"
    script = "sitegen-search.global.js" if classic else "sitegen-search.js"
    answer = run_node({key: str(site / "search" / script), "index": str(site / "search"), "searches": searches})
    for done in answer["searches"]:
        assert done["error"] is None, done["error"]
    return answer


def urls(result: dict[str, Any]) -> list[str]:
    return [hit["url"] for hit in result["results"]]


def marked(hit: dict[str, Any]) -> list[str]:
    return [part["text"] for part in hit["snippet"] if part["match"]]


def test_stemming_finds_every_inflection(run_node: RunNode, built_archive: Path) -> None:
    (result,) = search(run_node, built_archive / "site", "sanctions")["searches"]
    assert result["total"] > 20
    assert "/2024/02/sanctioned-fleet/" in [hit["url"] for hit in search_all(run_node, built_archive, "sanctions")]
    top = result["results"][0]
    assert set(top) == {"url", "title", "date", "score", "snippet", "authors", "topics", "source", "sections"}
    assert {word.lower() for word in marked(top)} <= {"sanction", "sanctions", "sanctioned", "sanctioning"}
    assert marked(top)


def search_all(run_node: RunNode, archive: Path, query: str) -> list[dict[str, Any]]:
    (result,) = search(run_node, archive / "site", (query, {"limit": 1000}))["searches"]
    return list(result["results"])


def test_phrases_need_the_words_in_order(run_node: RunNode, built_archive: Path) -> None:
    queries = ('"battery fires"', '"fires battery"', "battery fires")
    phrase, reverse, words = search(run_node, built_archive / "site", *queries)["searches"]
    assert urls(phrase) == ["/2024/02/sanctioned-fleet/"]
    assert marked(phrase["results"][0]) == ["battery", "fires"]
    assert urls(reverse) == []
    assert "/2024/02/sanctioned-fleet/" in urls(words)


def test_other_scripts_are_found_by_their_own_words(run_node: RunNode, built_archive: Path) -> None:
    russian, korean, german = search(run_node, built_archive / "site", "санкции", "수상버스를", "Fähre")["searches"]
    assert urls(russian) == ["/2023/04/sanktsii/"]
    assert marked(russian["results"][0]) == ["санкции"]
    assert urls(korean) == ["/2023/05/seoul-ferry/"]
    assert urls(german) == ["/2022/09/faehre/"]


def test_the_last_word_is_a_prefix_while_typing(run_node: RunNode, built_archive: Path) -> None:
    typing, done, typed_space = search(
        run_node,
        built_archive / "site",
        ("zygomor", {"prefix": True}),
        ("zygomor", {}),
        ("zygomor ", {"prefix": True}),
    )["searches"]
    assert urls(typing) == ["/2024/03/markup/"]
    assert urls(done) == []
    assert urls(typed_space) == []


def test_filters_and_date_order(run_node: RunNode, built_archive: Path) -> None:
    everything = search_all(run_node, built_archive, "ferry")
    filtered, by_date, year = search(
        run_node,
        built_archive / "site",
        ("ferry", {"limit": 100, "filters": {"topic": "transport", "source": "coastal-wire"}}),
        ("ferry", {"limit": 1000, "sort": "date"}),
        ("ferry", {"limit": 100, "filters": {"yearFrom": 2021, "yearTo": 2022}}),
    )["searches"]
    assert 0 < filtered["total"] < len(everything)
    dates = [hit["date"] for hit in by_date["results"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == len(everything)
    assert year["results"] and all("2021" <= hit["date"][:4] <= "2022" for hit in year["results"])
    assert {hit["url"] for hit in year["results"]} == {
        hit["url"] for hit in everything if "2021" <= hit["date"][:4] <= "2022"
    }


def test_markup_in_articles_comes_back_as_text(run_node: RunNode, built_archive: Path) -> None:
    (result,) = search(run_node, built_archive / "site", "onerror zygomorphic")["searches"]
    hit = result["results"][0]
    assert hit["title"] == "Council debates <script> tags and &amp; signs"
    text = "".join(part["text"] for part in hit["snippet"])
    assert "<img src=x onerror=alert(1)>" in text


def test_hostile_queries_give_lists(run_node: RunNode, built_archive: Path) -> None:
    answer = search(run_node, built_archive / "site", *HOSTILE, *[(q, {"prefix": True}) for q in HOSTILE])
    for result in answer["searches"]:
        assert isinstance(result["results"], list)
        assert result["error"] is None, result["query"]
        assert result["repeatFiles"] == [], result["query"]  # answered again from what is loaded


def test_the_classic_script_answers_like_the_module(run_node: RunNode, built_archive: Path) -> None:
    queries = ["ferry battery", '"battery fires"', "санкции", ("fer", {"prefix": True})]
    module = search(run_node, built_archive / "site", *queries)
    classic = search(run_node, built_archive / "site", *queries, classic=True)
    assert [r["results"] for r in module["searches"]] == [r["results"] for r in classic["searches"]]


def test_a_query_downloads_only_what_it_needs(run_node: RunNode, built_archive: Path) -> None:
    answer = search(run_node, built_archive / "site", ("ferry battery", {"limit": 10}))
    assert answer["setup"]["files"] == ["meta.js"]
    (result,) = answer["searches"]
    files = result["files"]
    shards = [f for f in files if f.startswith("t/")]
    assert len(shards) <= 2
    # Positions only of the query's own shards, to find the excerpt holding its words.
    assert sorted(f for f in files if f.startswith("p/")) == sorted(f"p/{f[2:]}" for f in shards)
    assert not [f for f in files if f.startswith("f/")]
    documents = [f for f in files if f.startswith("d/")]
    assert 0 < len(documents) <= 10
    assert result["repeatFiles"] == []  # the same query again downloads nothing


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_results_are_stable_between_runs(run_node: RunNode, built_archive: Path, sort: str) -> None:
    first = search(run_node, built_archive / "site", ("council", {"sort": sort, "limit": 30}))
    second = search(run_node, built_archive / "site", ("council", {"sort": sort, "limit": 30}))
    assert urls(first["searches"][0]) == urls(second["searches"][0])


def test_big_terms_get_files_of_their_own(run_node: RunNode, tmp_path: Path) -> None:
    articles = [
        Article(
            path=f"a{n}.md",
            slug=f"a{n}",
            url=f"/a{n}/",
            title=f"Story {n}",
            date=date(2020, 1, 1) + timedelta(days=n),
            body_html=f"<p>common words here{' rare' if n % 500 == 0 else ''} w{n}</p>",
        )
        for n in range(3000)
    ]
    site = Site(config=Config(), articles=tuple(reversed(articles)), taxonomies={})
    index = build_static_index(site, analyses_of({a.url: analyse_article(a) for a in articles}))
    assert "common" in index.state.big and "rare" not in index.state.big
    assert f"t/b{fnv1a('common'):08x}.js" in index.files
    for path, data in index.files.items():
        (tmp_path / "search" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "search" / path).write_bytes(data)
    phrase, common, both, prefix = search(
        run_node, tmp_path, '"common words"', "common", ("common rare", {"limit": 20}), ("comm", {"prefix": True})
    )["searches"]
    assert phrase["total"] == 3000 and f"p/b{fnv1a('common'):08x}.js" in phrase["files"]
    assert common["total"] == 3000
    assert [hit["url"] for hit in both["results"]] == [f"/a{n}/" for n in (2500, 2000, 1500, 1000, 500, 0)]
    assert prefix["total"] == 3000
    assert f"t/b{fnv1a('common'):08x}.js" in phrase["files"]


def test_the_snippet_comes_from_the_chunk_holding_the_query_words(run_node: RunNode, tmp_path: Path) -> None:
    opening = "Opening paragraph about the weather. " * 40  # a chunk of its own
    body_html = f"<p>{opening}</p><p>The lighthouse keeper retired after forty years.</p>"
    article = Article(
        path="a.md", slug="a", url="/a/", title="Coastal notes", date=date(2020, 1, 1), body_html=body_html
    )
    site = Site(config=Config(), articles=(article,), taxonomies={})
    index = build_static_index(site, analyses_of({article.url: analyse_article(article)}))
    for path, data in index.files.items():
        (tmp_path / "search" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "search" / path).write_bytes(data)
    (result,) = search(run_node, tmp_path, "keeper")["searches"]
    (hit,) = result["results"]
    assert marked(hit) == ["keeper"]
    assert "".join(part["text"] for part in hit["snippet"]).startswith("… The lighthouse keeper retired")
