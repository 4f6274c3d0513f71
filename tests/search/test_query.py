"""The query language: parse trees, compiled terms, and hostile input that must not break it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from sitegen.search.query import (
    MAX_DEPTH,
    MAX_LEAVES,
    And,
    Compiled,
    DateRange,
    Not,
    Or,
    Phrase,
    Word,
    compile_query,
    day_number,
    parse_query,
    to_json,
    unknown_fields,
)


def no_expansions(prefix: str, fields: tuple[str, ...]) -> Sequence[tuple[str, int]]:
    return []


def test_words_phrases_operators_and_fields() -> None:
    assert parse_query("ferry battery") == And((Word("ferry"), Word("battery")))
    assert parse_query('"battery ferry" OR port') == Or((Phrase("battery ferry"), Word("port")))
    assert parse_query("ferry -diesel") == And((Word("ferry"), Not(Word("diesel"))))
    assert parse_query("ferry AND NOT diesel") == And((Word("ferry"), Not(Word("diesel"))))
    assert parse_query("(a OR b) c") == And((Or((Word("a"), Word("b"))), Word("c")))
    assert parse_query("topic:energy Author:castell") == And((Word("energy", "topics"), Word("castell", "authors")))
    assert parse_query('source:"coastal wire"') == Phrase("coastal wire", "source")
    assert parse_query("ferr*") == Word("ferr", None, True)
    assert parse_query("unknown:field") == Word("unknown:field")


def test_date_ranges() -> None:
    start, end = day_number(date(2020, 1, 1)), day_number(date(2021, 6, 30))
    assert parse_query("date:[2020 TO 2021-06]") == DateRange(start, end)
    assert parse_query("date:2020") == DateRange(start, start + 365)
    assert parse_query("date:>=2020") == DateRange(start, None)
    assert parse_query("date:<2020") == DateRange(None, start - 1)
    assert parse_query("date:[2020 to]") == DateRange(start, None)
    assert parse_query("date:2020-02") == DateRange(start + 31, start + 31 + 28)
    for bad in ("date:2020-13", "date:2021-02-29", "date:20", "date:[x TO y]", "date:[2020]", "date:tomorrow"):
        assert parse_query(bad) is None, bad


def test_compiled_words_look_for_stem_and_form_in_every_field() -> None:
    compiled = to_json(compile_query(parse_query("sanctions"), no_expansions))
    assert compiled == [
        "any",
        [
            ["term", field, form, boost]
            for field, boost in [
                ("title", 3.0),
                ("summary", 1.5),
                ("body", 1.0),
                ("topics", 2.0),
                ("tags", 2.0),
                ("authors", 2.0),
                ("source", 1.5),
            ]
            for form in ("sanction", "sanctions")
        ],
    ]


def test_stopwords_vanish_and_negation_alone_matches_nothing() -> None:
    assert to_json(compile_query(parse_query("the ferry"), no_expansions)) == to_json(
        compile_query(parse_query("ferry"), no_expansions)
    )
    assert compile_query(parse_query("the of and"), no_expansions) is None
    assert compile_query(parse_query("-ferry"), no_expansions) is None
    assert compile_query(parse_query("NOT ferry"), no_expansions) is None


def test_phrases_try_the_english_and_the_literal_reading() -> None:
    compiled = to_json(compile_query(parse_query('title:"state of the art"'), no_expansions))
    assert compiled == [
        "any",
        [["phrase", "title", ["state", "art"], 3.0], ["phrase", "title", ["state", "of", "the", "art"], 3.0]],
    ]


def test_prefixes_expand_to_the_most_frequent_terms() -> None:
    def expand(prefix: str, fields: tuple[str, ...]) -> Sequence[tuple[str, int]]:
        assert (prefix, fields) == ("fer", ("title",))
        return [("ferri", 9), ("ferment", 2), ("fern", 2)]

    compiled = to_json(compile_query(parse_query("title:fer*"), expand))
    weights = {"fer": 3.0, "ferment": 3.0 * 0.2, "fern": 3.0 * 0.2, "ferri": 3.0 * 0.2}
    assert compiled == ["any", [["term", "title", t, weights[t]] for t in ("fer", "ferment", "fern", "ferri")]]


def test_a_stopword_typed_whole_is_not_expanded() -> None:
    def expand(prefix: str, fields: tuple[str, ...]) -> Sequence[tuple[str, int]]:
        return [(prefix + "ater", 4)]

    assert compile_query(parse_query("the*"), expand) is None
    assert to_json(compile_query(parse_query("title:thea*"), expand)) == [
        "any",
        [["term", "title", "thea", 3.0], ["term", "title", "theaater", 3.0 * 0.2]],
    ]


HOSTILE = [
    '"unbalanced quote',
    "unbalanced (paren",
    "unbalanced paren)",
    "))) (((",
    "AND",
    "OR OR OR",
    "NOT",
    "- + * ***",
    ":",
    "title:",
    'title:"',
    "date:",
    "date:[",
    "date:[2020 TO",
    "a" * 10_000,
    "ferry " * 2_000,
    "(" * 500 + "ferry" + ")" * 500,
    "NOT " * 1000 + "ferry",
    ".*+?^${}()|[]\\/",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE articles; --",
    "Санкции введены",
    "서울 한강",
    "東京の電車",
    "\u0000\u0001\ufffd\U0001f600",
    "\u202e\u2028\u2029",
    "date:[9999-12 TO 0001]",
]


def _leaves_and_depth(node: object) -> tuple[int, int]:
    """How many words, phrases and dates a parse tree holds, and how deep it nests."""
    if isinstance(node, (And, Or)):
        shapes = [_leaves_and_depth(child) for child in node.children]
        return sum(leaves for leaves, _ in shapes), 1 + max(depth for _, depth in shapes)
    if isinstance(node, Not):
        leaves, depth = _leaves_and_depth(node.child)
        return leaves, depth + 1
    return (0 if node is None else 1), 1


# How long parsing them takes is a figure of bench/run.py ("search hostile query parse max");
# what keeps it short is the bounded size of the tree, checked here.
@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_raise_and_stay_within_the_limits(query: str) -> None:
    tree = parse_query(query)
    leaves, depth = _leaves_and_depth(tree)
    assert leaves <= MAX_LEAVES and depth <= MAX_DEPTH + 1
    compiled = compile_query(tree, no_expansions)
    assert compiled is None or isinstance(compiled, Compiled)


def test_long_queries_are_capped() -> None:
    compiled = compile_query(parse_query(" ".join(f"word{n}" for n in range(100))), no_expansions)
    assert compiled is not None
    assert len(to_json(compiled)[1]) == 24  # type: ignore[index]


KNOWN = "(known fields: title, summary, body, topic, tag, author, source, date)"


@pytest.mark.parametrize(
    ("query", "warnings"),
    [
        ("topic:energy Tags:x date:2020 -author:Mira", []),
        ("https://example.org/a 10:30 a: b", []),  # a URL, a time and a lone colon are words
        ('"topc:energy" energy', []),  # inside a phrase
        ("-autor:Mira", [f"unknown field 'autor' in autor:Mira; did you mean 'author'? {KNOWN}"]),
        ("(tpoics:asia OR x)", [f"unknown field 'tpoics' in tpoics:asia; did you mean 'topic'? {KNOWN}"]),
        ("colour:red", [f"unknown field 'colour' in colour:red {KNOWN}"]),
    ],
)
def test_unknown_fields_are_named(query: str, warnings: list[str]) -> None:
    assert unknown_fields(query) == warnings
