"""The text analysis both indexes share: tokens, stopwords, stems, fields."""

from __future__ import annotations

from datetime import date
from random import Random

import pytest

from sitegen.model import Article
from sitegen.search.analysis import (
    _MAYBE_MARKS,
    _WORDS,
    FIELDS,
    LENGTH_TABLE,
    _ascii_words,
    analyse_article,
    html_to_text,
    normalize,
    raw_tokens,
    stem,
    tokenize,
)

# From Porter's published vocabulary and its stemmed output.
PORTER = {
    "caresses": "caress",
    "ponies": "poni",
    "ties": "ti",
    "cats": "cat",
    "feed": "feed",
    "agreed": "agre",
    "plastered": "plaster",
    "motoring": "motor",
    "sing": "sing",
    "conflated": "conflat",
    "troubled": "troubl",
    "sized": "size",
    "hopping": "hop",
    "tanned": "tan",
    "falling": "fall",
    "hissing": "hiss",
    "filing": "file",
    "happy": "happi",
    "sky": "sky",
    "relational": "relat",
    "conditional": "condit",
    "digitizer": "digit",
    "vietnamization": "vietnam",
    "operator": "oper",
    "decisiveness": "decis",
    "hopefulness": "hope",
    "formaliti": "formal",
    "sensibiliti": "sensibl",
    "triplicate": "triplic",
    "electrical": "electr",
    "goodness": "good",
    "revival": "reviv",
    "allowance": "allow",
    "adjustable": "adjust",
    "replacement": "replac",
    "adoption": "adopt",
    "communism": "commun",
    "effective": "effect",
    "bowdlerize": "bowdler",
    "probate": "probat",
    "cease": "ceas",
    "controll": "control",
    "generalizations": "gener",
    "oscillators": "oscil",
    "yelling": "yell",
}


@pytest.mark.parametrize(("word", "expected"), sorted(PORTER.items()))
def test_porter_stems_match_the_published_output(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_inflections_of_one_word_share_a_stem() -> None:
    assert {stem(w) for w in ("sanction", "sanctions", "sanctioned", "sanctioning")} == {"sanction"}
    assert stem("ferries") == stem("ferry") == "ferri"


def test_english_text_is_lowercased_stopped_and_stemmed() -> None:
    assert tokenize("The Harbour's FERRIES were sanctioned in 2024.", "en") == [
        "harbour",
        "ferri",
        "sanction",
        "2024",
    ]
    assert tokenize("The ferries", "en-GB") == ["ferri"]


def test_other_languages_keep_every_word_unstemmed() -> None:
    assert tokenize("Die Fähren fahren", "de") == ["die", "fahren", "fahren"]
    assert tokenize("Санкции введены против компаний", "ru") == ["санкции", "введены", "против", "компаний"]
    assert tokenize("전기 수상버스를", "ko") == ["전기", "수상버스를", "수상", "상버", "버스", "스를"]


def test_nfkc_and_unicode_word_characters() -> None:
    assert raw_tokens("ﬁnancial ＡＢＣ １２") == ["financial", "abc", "12"]
    # Combining marks belong to the word (Devanagari vowel signs, decomposed accents).
    assert raw_tokens("हिन्दी भाषा") == ["हिन्दी", "भाषा"]
    assert raw_tokens("cafe\u0301 x") == ["cafe", "x"]
    assert raw_tokens("snake_case a-b") == ["snake", "case", "a", "b"]


def test_the_ascii_fast_path_finds_the_words_the_unicode_rule_finds() -> None:
    """Text whose only non-ASCII characters are separators skips the regular expression; any
    text must give the words of the rule the client shares (letters, numbers, marks, '_')."""
    pieces = [
        "plain",
        "words",
        "x_y",
        "42",
        "Ünïcode",
        "naïve",
        "–",
        "—",
        "€",
        "’",
        "“",
        "”",
        "\u00a0",
        "\u2028",
        "²",
        "½",
        "٣",
        "日本",
        "e\u0301",
        "\u0915\u093f",
        "\x1f",
        "\x85",
        "\t",
        "<b>",
        "a-b",
        "ǅ",
        "ﬁ",
        "\ud800",
    ]
    random = Random(7)
    taken = 0
    for _ in range(3000):
        text = "".join(
            random.choice(pieces) + random.choice(["", " ", ".", "\n"]) for _ in range(random.randint(0, 12))
        )
        normal = normalize(text)
        words = _ascii_words(normal)
        if words is not None:
            taken += 1
            assert _MAYBE_MARKS.search(normal) is None, text
            assert words == _WORDS.findall(normal), text
    assert taken > 100
    assert raw_tokens("price – €10 “quoted” x") == ["price", "10", "quoted", "x"]
    assert raw_tokens("naïve – café") == ["naive", "cafe"]


def test_latin_and_greek_letters_fold_to_what_a_reader_types() -> None:
    assert raw_tokens("Michaël Zasso, Nießen") == ["michael", "zasso", "niessen"]
    assert raw_tokens("Æsir Øresund Łódź Đorđe Þór œuvre İstanbul") == [
        "aesir",
        "oresund",
        "lodz",
        "dorde",
        "thor",
        "oeuvre",
        "istanbul",
    ]
    assert raw_tokens("ΆΣΤΡΟΣ άστρος") == ["αστροσ", "αστροσ"]
    # Other scripts keep their marks: Hangul is not taken apart, nor kana's voicing marks.
    assert raw_tokens("한강 がっこう хлеб") == ["한강", "がっ", "っこ", "こう", "хлеб"]


def test_version_like_runs_are_one_term() -> None:
    assert tokenize("Ruby 3.3.0 on v8, http2 and CVE-2024-27280 (v1.2rc1).", "en") == [
        "rubi",
        "3.3.0",
        "v8",
        "http2",
        "cve-2024-27280",
        "v1.2rc1",
    ]
    assert raw_tokens("python-3 node.js 2024-01-05 10-20 end 2.") == [
        "python",
        "3",
        "node",
        "js",
        "2024-01-05",
        "10",
        "20",
        "end",
        "2",
    ]
    assert raw_tokens("naïve 1.5 x") == ["naive", "1.5", "x"]  # versions in text with marks too


def test_chinese_and_japanese_runs_are_bigrams_korean_words_add_them() -> None:
    assert raw_tokens("沈鸿飞") == ["沈鸿", "鸿飞"]
    assert raw_tokens("水 東京の電車") == ["水", "東京", "京の", "の電", "電車"]
    assert raw_tokens("iPhone用户") == ["iphone", "用户"]
    assert raw_tokens("서울시는 한강") == ["서울시는", "서울", "울시", "시는", "한강"]


def test_punctuation_markup_and_huge_tokens_are_not_words() -> None:
    assert raw_tokens("<b>bold</b> & a+b=c; $100") == ["b", "bold", "b", "a", "b", "c", "100"]
    assert raw_tokens("x" * 65 + " ok " + "y" * 64) == ["ok", "y" * 64]
    assert tokenize("", "en") == []
    assert tokenize("!!! ??? ...", "en") == []


def test_single_letters_are_dropped_in_english_but_digits_kept() -> None:
    assert tokenize("U.S. plan 2 b", "en") == ["plan", "2"]
    assert tokenize("U.S. plan", "fr") == ["u", "s", "plan"]


def test_html_to_text_separates_blocks_and_skips_scripts() -> None:
    html = (
        "<h2>Heading</h2><p>One <em>emph</em>asis &amp; more</p><ul><li>first</li><li>second</li></ul>"
        "<script>var x = 1;</script><style>p{}</style><p>Last&nbsp;line</p>"
    )
    assert html_to_text(html) == "Heading\nOne emphasis & more\nfirst\nsecond\nLast line"


def test_html_to_text_collapses_whitespace_within_lines_and_drops_empty_ones() -> None:
    html = "<p>  a \t b\u00a0\u3000c  </p>\n \n<p>\x0bd\re</p><p> </p>text\x85 after\n\nend"
    assert html_to_text(html) == "a b c\nd e\ntext after\nend"


def _article(**fields: object) -> Article:
    base: dict[str, object] = {"path": "a.md", "slug": "a", "url": "/a/", "title": "Ferry trial"}
    base["date"] = date(2024, 3, 5)
    base.update(fields)
    return Article(**base)  # type: ignore[arg-type]


def test_analyse_article_fills_every_field() -> None:
    analysis = analyse_article(
        _article(
            summary="Boats on batteries.",
            body_html="<p>The ferries run on batteries; the ferry is quiet.</p>",
            topics=("Energy", "Urban Planning"),
            tags=("ferries",),
            authors=("Mira Castell",),
            source="Coastal Wire",
        )
    )
    assert analysis.url == "/a/"
    assert set(analysis.tokens) == set(FIELDS)
    assert analysis.fields["body"] == {"ferri": 2, "run": 1, "batteri": 1, "quiet": 1}
    assert analysis.lengths == {"title": 2, "summary": 2, "body": 5, "topics": 3, "tags": 1, "authors": 2, "source": 2}
    assert analysis.tokens["topics"] == ("energi", "urban", "plan")
    assert analysis.text == "The ferries run on batteries; the ferry is quiet."


def test_analysis_of_a_russian_article_is_not_stemmed() -> None:
    analysis = analyse_article(_article(title="Санкции", language="ru", body_html="<p>Паромы и санкции</p>"))
    assert analysis.tokens["body"] == ("паромы", "и", "санкции")


def test_length_table_is_whooshs_byte_encoding() -> None:
    assert LENGTH_TABLE[:12] == (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12)
    assert LENGTH_TABLE[-1] == 106374
    assert list(LENGTH_TABLE) == sorted(LENGTH_TABLE)
