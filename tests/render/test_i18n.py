"""The theme in the reader's language: catalogs, label overrides, direction, numbers, charts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from sitegen.i18n import THEME_LOCALES, format_number, load_labels, text_direction
from sitegen.render.charts import period_chart
from tests.conftest import MakeSite, Run, article

SitegenRun = Callable[..., Run]
SHIPPED = ("de", "fr", "es", "it", "pt", "nl", "ru", "uk", "pl", "ar", "he", "zh", "ja", "ko")
TEMPLATES = THEME_LOCALES.parent / "templates"


def _catalog(name: str):  # type: ignore[no-untyped-def]
    with (THEME_LOCALES / name).open("rb") as handle:
        return read_po(handle)


def _template_labels() -> set[str]:
    """Every label the theme's templates ask a catalog for."""
    found: set[str] = set()
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r"""(?:\b_|gettext)\(\s*["']([^"']+)["']""", text))
    return found


def test_the_template_catalog_holds_every_label_the_templates_use() -> None:
    known = {message.id if isinstance(message.id, str) else message.id[0] for message in _catalog("sitegen.pot")}
    assert _template_labels() - known == set()


@pytest.mark.parametrize("language", SHIPPED)
def test_every_shipped_catalog_translates_every_label_with_its_plural_forms(language: str) -> None:
    template = {message.id for message in _catalog("sitegen.pot") if message.id}
    catalog = _catalog(f"{language}.po")
    translated = {message.id: message.string for message in catalog if message.id}
    assert translated.keys() == template
    forms = get_plural(language).num_plurals
    for msgid, text in translated.items():
        texts = text if isinstance(text, tuple) else (text,)
        assert all(texts), (language, msgid)
        if isinstance(msgid, tuple):
            assert len(texts) == forms, (language, msgid)
        placeholders = set(re.findall(r"%\((\w+)\)s", msgid if isinstance(msgid, str) else msgid[1]))
        for one in texts:  # a translation uses no placeholder the code does not give
            assert set(re.findall(r"%\((\w+)\)s", one)) <= placeholders, (language, msgid, one)


def test_plural_forms_follow_the_language() -> None:
    russian = load_labels("ru", None, {})
    assert [russian.ngettext("%(num)s word", "%(num)s words", n) % {"num": n} for n in (1, 3, 5, 21)] == [
        "1 слово",
        "3 слова",
        "5 слов",
        "21 слово",
    ]
    arabic = load_labels("ar", None, {})
    assert arabic.ngettext("%(shown)s article", "%(shown)s articles", 2) == "مقالتان"
    assert load_labels("pt-BR", None, {}).gettext("Published") == "Publicado"  # falls back to pt
    assert load_labels("sw", None, {}).gettext("Published") == "Published"  # no catalog: English


@pytest.mark.parametrize(
    ("language", "direction"),
    [("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("de", "ltr"), ("zh-Hant", "ltr"), ("xx", "ltr")],
)
def test_right_to_left_languages_are_told_by_cldr(language: str, direction: str) -> None:
    assert text_direction(language) == direction


def test_numbers_are_grouped_as_each_language_groups_them() -> None:
    assert [format_number(12345, language) for language in ("en", "de", "fr", "ru")] == [
        "12,345",
        "12.345",
        "12\u202f345",
        "12\u00a0345",
    ]


def test_a_german_site_is_german_throughout_and_an_english_article_keeps_its_labels(
    make_site: MakeSite, sitegen: SitegenRun
) -> None:
    root = make_site(
        {
            "sitegen.yaml": "language: de\n",
            "content/a.md": article("Ein Artikel", "2024-03-05T09:30:00+01:00", author="Lena Vogt"),
            "content/b.md": article("An article", "2024-03-06", language="en", author="Ann Lee"),
        }
    )
    assert sitegen("build", cwd=root).code == 0
    german = (root / "site/2024/03/a/index.html").read_text()
    assert '<html lang="de" dir="ltr">' in german
    assert "<dt>Von</dt>" in german and "<dt>Veröffentlicht</dt>" in german
    assert '<time datetime="2024-03-05T09:30:00+01:00">5. März 2024, 09:30\u00a0GMT+1</time>' in german
    assert ">Themen</a>" in german and "Zum Inhalt springen" in german
    english = (root / "site/2024/03/b/index.html").read_text()
    assert '<html lang="de" dir="ltr">' in english  # the site's interface
    assert '<article class="article wrap" lang="en" dir="ltr">' in english
    assert "<dt>By</dt>" in english and "<dt>Published</dt>" in english
    assert '<time datetime="2024-03-06">March 6, 2024</time>' in english
    assert "Zum Inhalt springen" in english
    home = (root / "site/index.html").read_text()
    assert '<time datetime="2024-03-06">6. März 2024</time>' in home  # listings speak the site's language


def test_a_site_overrides_labels_in_its_config_and_its_own_catalog(make_site: MakeSite, sitegen: SitegenRun) -> None:
    config = "language: de\nlabels:\n  Skip to content: Weiter zum Text\n  de:\n    Published: Erschienen am\n"
    catalog = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Cite"\nmsgstr "Quelle angeben"\n'
    )
    root = make_site(
        {"sitegen.yaml": config, "locales/de.po": catalog, "content/a.md": article("A", "2024-03-05", language="de")}
    )
    assert sitegen("build", cwd=root).code == 0
    page = (root / "site/2024/03/a/index.html").read_text()
    assert "Weiter zum Text" in page
    assert "<dt>Erschienen am</dt>" in page
    assert '<h2 id="cite-heading">Quelle angeben</h2>' in page
    # Editing the site's catalog renders the pages again.
    (root / "locales/de.po").write_text(catalog.replace("Quelle angeben", "So zitieren"), encoding="utf-8")
    assert sitegen("build", cwd=root).code == 0
    assert '<h2 id="cite-heading">So zitieren</h2>' in (root / "site/2024/03/a/index.html").read_text()


def test_labels_that_are_not_text_are_reported(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"sitegen.yaml": "labels:\n  Published: 3\n", "content/a.md": article()})
    run = sitegen("build", cwd=root)
    assert run.code != 0
    assert "sitegen.yaml:1: 'labels.Published' must be text or a mapping of labels to text" in run.err


def test_a_short_span_is_charted_by_month_with_its_empty_months() -> None:
    chart = period_chart([date(2024, 11, 3), date(2025, 2, 1), date(2025, 2, 9)], "/archive/")
    assert chart is not None and chart.unit == "month"
    assert [(bar.year, bar.month, bar.count, bar.url) for bar in chart.bars] == [
        (2024, 11, 1, "/archive/2024/11/"),
        (2024, 12, 0, None),
        (2025, 1, 0, None),
        (2025, 2, 2, "/archive/2025/02/"),
    ]
    assert [bar.height for bar in chart.bars] == [48, 0, 0, 96]
    assert chart.width == 40


def test_a_long_span_is_charted_by_year() -> None:
    chart = period_chart([date(2015, 1, 1), date(2015, 6, 1), date(2019, 3, 1)], "/archive/")
    assert chart is not None and chart.unit == "year"
    assert [(bar.year, bar.count) for bar in chart.bars] == [(2015, 2), (2016, 0), (2017, 0), (2018, 0), (2019, 1)]
    assert period_chart([], "/archive/") is None


def test_term_pages_and_the_date_archive_show_a_chart(make_site: MakeSite, sitegen: SitegenRun) -> None:
    files = {f"content/a{year}.md": article(f"A {year}", f"{year}-05-01", topics='["Water"]') for year in (2019, 2022)}
    root = make_site(files)
    assert sitegen("build", cwd=root).code == 0
    topic = (root / "site/topics/water/index.html").read_text()
    assert '<figcaption class="chart-caption">Articles per year</figcaption>' in topic
    assert '<a href="../../archive/2019/" tabindex="-1"><title>2019: 1 article</title>' in topic
    row = '<tr><th scope="row"><a href="../../archive/2022/"><time datetime="2022">2022</time></a></th><td>1</td></tr>'
    assert row in topic
    assert topic.count("<rect ") == 2  # 2020 and 2021 have no bar, only room for one
    archive = (root / "site/archive/index.html").read_text()
    assert '<svg class="chart-bars" viewBox="0 0 40 100"' in archive
    assert "chart-bars" not in (root / "site/index.html").read_text()


def test_a_long_lived_builder_follows_an_edit_of_the_labels(make_site: MakeSite) -> None:
    """The preview's builder keeps its Jinja2 environment between builds, but not across a
    config edit: the environment holds the labels."""
    from sitegen.build import Builder, BuildOptions

    root = make_site({"sitegen.yaml": "labels:\n  Published: Posted\n", "content/a.md": article()})
    builder = Builder(BuildOptions(root=root), in_place=True, persist=False)
    builder.build()
    page = root / "site/2024/03/a/index.html"
    assert "<dt>Posted</dt>" in page.read_text()
    (root / "sitegen.yaml").write_text("labels:\n  Published: Out on\n", encoding="utf-8")
    builder.build(changes={"config": ["sitegen.yaml"]})
    assert "<dt>Out on</dt>" in page.read_text()
