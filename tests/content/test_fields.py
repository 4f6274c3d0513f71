from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sitegen.content.fields import FieldProblem, check_fields, parse_moment


def messages(data: dict[str, object]) -> list[str]:
    return [problem.message for problem in check_fields(data)[1]]


def test_valid_fields_become_typed_values() -> None:
    fields, errors, warnings = check_fields(
        {
            "title": " Ferry trial ",
            "date": "2024-03-05T09:30:00+01:00",
            "updated": "2024-03-06",
            "author": "Mira Castell",
            "source": "Coastal Wire",
            "source_url": "https://coastal.example/x",
            "topics": ["Energy", "energy", "Transport"],
            "tags": ["ferries"],
            "summary": "Dek.",
            "slug": "Custom Slug",
            "language": "de",
            "draft": True,
            "note": "A *note*",
            "series": "extra value",
        }
    )
    assert (errors, warnings) == ([], [])
    assert fields.title == "Ferry trial"
    assert fields.date == datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert fields.updated == date(2024, 3, 6)
    assert fields.authors == ("Mira Castell",)
    assert fields.topics == ("Energy", "Transport")  # same slug, one topic
    assert fields.slug == "custom-slug"
    assert fields.draft is True
    assert fields.extra == {"series": "extra value"}


def test_required_fields() -> None:
    assert messages({}) == [
        "'title' is missing; every article needs a title",
        "'date' is missing; every article needs a date",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2022-13-40"}, "'date' is not a date: \"2022-13-40\" (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)"),
        (
            {"date": "99999-01-01"},
            "'date' is not a date: \"99999-01-01\" (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)",
        ),
        ({"date": 2022}, "'date' is not a date: \"2022\" (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)"),
        ({"title": 1984}, "'title' must be text; put it in quotes: title: \"1984\""),
        ({"title": ["a", "b"]}, "'title' must be non-empty text"),
        ({"topics": "Energy"}, '\'topics\' must be a list of names, like topics: ["First", "Second"]'),
        ({"topics": ["Energy", 3]}, "'topics' must be a list of names; item 2 is 3"),
        ({"topics": ["!!!"]}, "'topics' item '!!!' has no letters or digits"),
        (
            {"source_url": "ftp://x.example/a"},
            "'source_url' must be an http:// or https:// URL, not \"ftp://x.example/a\"",
        ),
        (
            {"source_url": "javascript:alert(1)"},
            "'source_url' must be an http:// or https:// URL, not \"javascript:alert(1)\"",
        ),
        ({"draft": "yes please"}, "'draft' must be true or false"),
        ({"language": "english!"}, "'language' must be a language code like en, de or pt-BR, not \"english!\""),
        (
            {"language": "english"},
            "'language' must be a language code like en, de or pt-BR, not \"english\"; did you mean 'en'?",
        ),
        (
            {"language": "pt_BR"},
            "'language' must be a language code like en, de or pt-BR, not \"pt_BR\"; did you mean 'pt-BR'?",
        ),
        (
            {"language": "Deutsch"},
            "'language' must be a language code like en, de or pt-BR, not \"Deutsch\"; did you mean 'de'?",
        ),
        ({"language": "en-XX"}, "'language' must be a language code like en, de or pt-BR, not \"en-XX\""),
        ({"language": "xx"}, "'language' must be a language code like en, de or pt-BR, not \"xx\""),
        ({"slug": "///"}, "'slug' '///' has no letters or digits"),
    ],
)
def test_bad_values_are_named(data: dict[str, object], message: str) -> None:
    full = {"title": "T", "date": "2024-01-01", **data}
    assert messages(full) == [message]


@pytest.mark.parametrize("tag", ["en", "EN", "pt-BR", "zh-Hant", "zh-Hant-TW", "es-419", "de-CH-1996", "x-klingon"])
def test_language_tags_are_accepted(tag: str) -> None:
    fields, errors, _ = check_fields({"title": "T", "date": "2024-01-01", "language": tag})
    assert (errors, fields.language) == ([], tag)


def test_misspelt_field_warns_with_the_likely_name() -> None:
    fields, errors, warnings = check_fields({"titel": "x", "title": "T", "date": "2024-01-01", "topic": ["A"]})
    assert errors == []
    assert [w.message for w in warnings] == [
        "unknown field 'titel'; did you mean 'title'?",
        "unknown field 'topic'; did you mean 'topics'?",
    ]
    assert fields.extra == {"titel": "x", "topic": ["A"]}


def test_a_missing_field_names_the_misspelling_that_stands_for_it() -> None:
    _, errors, warnings = check_fields({"titel": "x", "Date": "2024-01-01", "summary": "S"})
    assert errors == [
        FieldProblem(("titel",), "unknown field 'titel'; did you mean 'title'? (every article needs a title)"),
        FieldProblem(("Date",), "unknown field 'Date'; did you mean 'date'? (every article needs a date)"),
    ]
    assert warnings == []


def test_a_missing_field_with_no_near_spelling_is_just_missing() -> None:
    _, errors, _ = check_fields({"headline": "x", "date": "2024-01-01"})
    assert errors == [FieldProblem((), "'title' is missing; every article needs a title")]


def test_parse_moment_keeps_offsets_and_plain_dates() -> None:
    assert parse_moment("2024-01-02") == date(2024, 1, 2)
    assert parse_moment("2024-01-02T03:04:05Z") == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert parse_moment("2024-01-02 03:04") == datetime(2024, 1, 2, 3, 4)
    assert parse_moment("0000-01-01") is None
    assert parse_moment("yesterday") is None


def test_captions_and_provenance_fields() -> None:
    fields, errors, warnings = check_fields(
        {
            "title": "T",
            "date": "2024-03-05",
            "captions": ["© AP. Cranes  at dusk.", {"text": "A ferry.", "image": "/images/ferry.jpg"}],
            "captured": "2024-03-06T10:00:00+00:00",
            "capture": "ferry.capture.html",
            "source_digest": "sha256:" + "ab" * 32,
        }
    )
    assert (errors, warnings) == ([], [])
    assert [(c.text, c.image) for c in fields.captions] == [
        ("© AP. Cranes at dusk.", None),
        ("A ferry.", "/images/ferry.jpg"),
    ]
    assert fields.captured == datetime(2024, 3, 6, 10, tzinfo=UTC)
    assert fields.capture == "ferry.capture.html"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"captions": 3}, "'captions' must be a list of captions, like captions: [\"A crane at dusk\"]"),
        (
            {"captions": [{"image": "x.jpg"}]},
            "'captions' item 1 must be text, or text: and image: like {text: \"...\", image: photo.jpg}",
        ),
        (
            {"capture": "https://x.example/page.html"},
            "'capture' must name an .html file beside the article, like capture: page.capture.html",
        ),
        ({"source_digest": "md5:abc"}, "'source_digest' must be \"sha256:\" and 64 hex digits, not 'md5:abc'"),
        (
            {"captured": "yesterday"},
            "'captured' is not a date: \"yesterday\" (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)",
        ),
    ],
)
def test_bad_captions_and_provenance(data: dict[str, object], message: str) -> None:
    assert messages({"title": "T", "date": "2024-01-01", **data}) == [message]
