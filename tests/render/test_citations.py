"""Citations as reference managers read them: Highwire and Dublin Core tags parsed back as
Zotero's Embedded Metadata translator does, the Cite section, and the export files."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import MakeSite, Run, article

SitegenRun = Callable[..., Run]

GERMAN = article(
    "Wärmespeicher im Freibad",
    "2024-06-05T09:30:00+02:00",
    body="Das Freibad speichert Wärme. Ein zweiter Satz mit Wörtern.",
    updated="2024-06-07",
    author='["Anna Maria Vogt", "Lindqvist, Per", "Redaktion"]',
    source="Küstenblatt",
    source_url="https://kuestenblatt.example/freibad",
    topics='["Energie", "Städte"]',
    tags='["wärme"]',
    language="de",
    summary="Ein Freibad als Speicher.",
)
CONFIG = 'title: "Küstenarchiv"\nbase_url: "https://archiv.example.org/"\n'


class _Head(HTMLParser):
    """Collects <meta name content> pairs of the head, as the translator's XPath over /html/head/meta does."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "meta" and self.in_head and values.get("name") and values.get("content"):
            self.meta.append((str(values["name"]), str(values["content"])))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def zotero_item(html: str) -> dict[str, object]:
    """The fields Zotero's Embedded Metadata translator takes from Highwire tags.

    Its rules: one creator per citation_author, "Last, First" split at the comma, else the
    last word is the last name; the date from citation_publication_date (or citation_date,
    then citation_online_date); keywords split at ';'; DC.* read through its dc namespace.
    """
    parser = _Head()
    parser.feed(html)
    first: dict[str, str] = {}
    for name, content in parser.meta:
        first.setdefault(name, content)
    creators = []
    for name, content in parser.meta:
        if name == "citation_author":
            last, comma, given = content.partition(",")
            if comma:
                creators.append((last.strip(), given.strip()))
            else:
                given, _, last = content.rpartition(" ")
                creators.append((last, given))
    date = first.get("citation_publication_date") or first.get("citation_date") or first.get("citation_online_date")
    return {
        "title": first.get("citation_title"),
        "creators": creators,
        "date": date,
        "publicationTitle": first.get("citation_journal_title"),
        "publisher": first.get("citation_publisher"),
        "url": first.get("citation_public_url"),
        "language": first.get("citation_language"),
        "tags": [tag.strip() for tag in first.get("citation_keywords", "").split(";") if tag.strip()],
        "dc": {name: content for name, content in parser.meta if name.startswith("DC.")},
    }


def _build(make_site: MakeSite, sitegen: SitegenRun) -> Path:
    root = make_site({"sitegen.yaml": CONFIG, "content/freibad.md": GERMAN})
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    assert run.err == ""
    return root / "site"


def test_zotero_reads_the_article_from_its_highwire_and_dublin_core_tags(
    make_site: MakeSite, sitegen: SitegenRun
) -> None:
    site = _build(make_site, sitegen)
    item = zotero_item((site / "2024/06/freibad/index.html").read_text())
    assert item == {
        "title": "Wärmespeicher im Freibad",
        "creators": [("Vogt", "Anna Maria"), ("Lindqvist", "Per"), ("Redaktion", "")],
        "date": "2024/06/05",
        "publicationTitle": "Küstenarchiv",
        "publisher": "Küstenblatt",
        "url": "https://archiv.example.org/2024/06/freibad/",
        "language": "de",
        "tags": ["Energie", "Städte", "wärme"],
        "dc": {
            "DC.title": "Wärmespeicher im Freibad",
            "DC.creator": "Redaktion",
            "DC.date": "2024-06-05",
            "DC.publisher": "Küstenblatt",
            "DC.identifier": "https://archiv.example.org/2024/06/freibad/",
            "DC.language": "de",
            "DC.type": "Text",
            "DC.source": "https://kuestenblatt.example/freibad",
        },
    }
    page = (site / "2024/06/freibad/index.html").read_text()
    assert '<meta name="citation_online_date" content="2024/06/07">' in page


def test_the_cite_section_formats_apa_and_chicago_and_links_the_files(make_site: MakeSite, sitegen: SitegenRun) -> None:
    site = _build(make_site, sitegen)
    page = (site / "2024/06/freibad/index.html").read_text()
    section = page[page.index('<section class="cite"') : page.index("</section>", page.index('<section class="cite"'))]
    references = dict(re.findall(r"<dt>([^<]+)</dt><dd[^>]*>(.*?)</dd>", section))
    assert set(references) == {"APA", "Chicago"}
    # What the CSL styles write (in German, the article's language): names inverted and
    # shortened as each style says, the date, the title, the site and the URL.
    assert references["APA"].startswith("Vogt, A. M., Lindqvist, P., &amp; Redaktion. (2024, Juni 5).")
    assert "Wärmespeicher im Freibad" in references["APA"]
    assert references["APA"].endswith("https://archiv.example.org/2024/06/freibad/")
    assert references["Chicago"].startswith("Vogt, Anna Maria, Per Lindqvist, und Redaktion. 2024.")
    assert "„Wärmespeicher im Freibad“" in references["Chicago"]
    for suffix in ("bib", "ris", "json"):
        assert f'<a href="freibad.{suffix}" download>' in section


def test_each_article_has_bibtex_ris_and_csl_json(make_site: MakeSite, sitegen: SitegenRun) -> None:
    site = _build(make_site, sitegen)
    folder = site / "2024/06/freibad"
    items = json.loads((folder / "freibad.json").read_text())
    assert items == [
        {
            "id": "freibad",
            "type": "webpage",
            "title": "Wärmespeicher im Freibad",
            "container-title": "Küstenarchiv",
            "issued": {"date-parts": [[2024, 6, 5]]},
            "available-date": {"date-parts": [[2024, 6, 7]]},
            "URL": "https://archiv.example.org/2024/06/freibad/",
            "language": "de",
            "author": [
                {"family": "Vogt", "given": "Anna Maria"},
                {"family": "Lindqvist", "given": "Per"},
                {"literal": "Redaktion"},
            ],
            "publisher": "Küstenblatt",
            "abstract": "Ein Freibad als Speicher.",
            "keyword": "Energie, Städte, wärme",
        }
    ]
    bib = (folder / "freibad.bib").read_text()
    assert bib.startswith("@misc{freibad2024,\n  title = {{Wärmespeicher im Freibad}},\n")
    assert "  author = {Vogt, Anna Maria and Lindqvist, Per and {Redaktion}},\n" in bib
    assert "  month = jun,\n  date = {2024-06-05},\n" in bib
    ris = (folder / "freibad.ris").read_bytes().decode()
    lines = ris.split("\r\n")
    assert lines[:5] == [
        "TY  - ELEC",
        "TI  - Wärmespeicher im Freibad",
        "AU  - Vogt, Anna Maria",
        "AU  - Lindqvist, Per",
        "AU  - Redaktion",
    ]
    assert "DA  - 2024/06/05" in lines and "UR  - https://archiv.example.org/2024/06/freibad/" in lines
    assert lines[-2:] == ["ER  - ", ""]


def test_term_pages_link_the_files_of_all_their_articles(make_site: MakeSite, sitegen: SitegenRun) -> None:
    other = article("Second", "2024-07-01", topics='["Energie"]', author='"Lindqvist, Per"')
    root = make_site({"sitegen.yaml": CONFIG, "content/freibad.md": GERMAN, "content/second.md": other})
    assert sitegen("build", cwd=root).code == 0
    site = root / "site"
    topic = (site / "topics/energie/index.html").read_text()
    assert '<a href="energie.bib" download>BibTeX</a>' in topic
    assert [item["title"] for item in json.loads((site / "topics/energie/energie.json").read_text())] == [
        "Second",
        "Wärmespeicher im Freibad",
    ]
    assert (site / "topics/energie/energie.ris").read_text().count("TY  - ELEC") == 2
    author = json.loads((site / "authors/lindqvist-per/lindqvist-per.json").read_text())
    assert len(author) == 2
    assert (site / "sources/küstenblatt/küstenblatt.bib").read_text().count("@misc{") == 1
    assert (site / "tags/wärme/wärme.bib").is_file()


def test_json_feed_and_catalog_list_every_field(make_site: MakeSite, sitegen: SitegenRun) -> None:
    site = _build(make_site, sitegen)
    feed = json.loads((site / "feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://archiv.example.org/feed.json"
    (item,) = feed["items"]
    assert item["id"] == item["url"] == "https://archiv.example.org/2024/06/freibad/"
    assert item["date_published"] == "2024-06-05T09:30:00+02:00"
    assert item["date_modified"] == "2024-06-07T00:00:00Z"
    assert item["authors"] == [{"name": "Anna Maria Vogt"}, {"name": "Lindqvist, Per"}, {"name": "Redaktion"}]
    assert item["external_url"] == "https://kuestenblatt.example/freibad"
    assert item["language"] == "de"
    assert "Das Freibad speichert Wärme." in item["content_html"]
    (record,) = json.loads((site / "catalog.json").read_text())
    assert record["word_count"] == 9
    assert record["reading_minutes"] == 1
    assert record["topics"] == ["Energie", "Städte"]
    assert record["date"] == "2024-06-05T09:30:00+02:00"
    assert record["updated"] == "2024-06-07"
    assert record["path"] == "content/freibad.md"
    rows = list(csv.DictReader(io.StringIO((site / "catalog.csv").read_text(), newline="")))
    assert rows[0]["authors"] == "Anna Maria Vogt; Lindqvist, Per; Redaktion"
    assert rows[0]["word_count"] == "9"
    assert rows[0]["draft"] == "false"


def test_article_pages_show_word_count_and_reading_time(make_site: MakeSite, sitegen: SitegenRun) -> None:
    body = " ".join(["word"] * 700)
    root = make_site({"content/long.md": article("Long", "2024-01-02", body=body)})
    assert sitegen("build", cwd=root).code == 0
    page = (root / "site/2024/01/long/index.html").read_text()
    assert "700 words · 4 min read" in page


def test_a_site_chooses_its_citation_styles(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"sitegen.yaml": CONFIG + "citation_styles: [ieee]\n", "content/freibad.md": GERMAN})
    assert sitegen("build", cwd=root).code == 0
    page = (root / "site/2024/06/freibad/index.html").read_text()
    start = page.index('<dl class="references">')
    references = page[start : page.index("</dl>", start)]
    assert re.findall(r"<dt>([^<]+)</dt><dd", references) == ["ieee"]
    assert "[1]" in references  # IEEE numbers its entries
    (root / "sitegen.yaml").write_text(CONFIG + "citation_styles: []\n", encoding="utf-8")
    assert sitegen("build", cwd=root).code == 0
    page = (root / "site/2024/06/freibad/index.html").read_text()
    assert '<dl class="references">' not in page
    assert '<a href="freibad.bib" download>BibTeX</a>' in page


def test_an_unknown_citation_style_is_reported(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"sitegen.yaml": "citation_styles: [apa, mla]\n", "content/a.md": article()})
    run = sitegen("build", cwd=root)
    assert run.code != 0
    assert "sitegen.yaml:1: 'citation_styles': no CSL style is called 'mla'" in run.err


def test_csl_json_files_joined_from_entries_are_what_json_dumps_writes() -> None:
    """Each article's entry is written once and joined into every file that lists it."""
    from sitegen.citations import csl_json

    items = [
        {"id": "a", "title": 'Line\nbreak and "quotes"', "author": [{"family": "Vogt", "given": "Lena"}]},
        {"id": "b", "title": "Ünïcode ✓", "issued": {"date-parts": [[2024, 1, 2]]}, "keyword": ""},
    ]
    for chosen in (items, items[:1], []):
        assert csl_json(chosen) == (json.dumps(chosen, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def test_the_catalog_writes_any_front_matter_value_as_json(make_site: MakeSite, sitegen: SitegenRun) -> None:
    fields = {"photo": "!!binary aGVsbG8=", "seen": "2024-01-02", "ids": "!!set {b: null, a: null}", "ratio": ".nan"}
    root = make_site({"content/a.md": article("A", "2024-03-05", **fields)})
    run = sitegen("build", cwd=root)
    assert run.code == 0, run.err
    (record,) = json.loads((root / "site/catalog.json").read_text())
    assert record["extra"] == {"photo": "aGVsbG8=", "seen": "2024-01-02", "ids": ["a", "b"], "ratio": "nan"}
    rows = list(csv.DictReader(io.StringIO((root / "site/catalog.csv").read_text(), newline="")))
    assert json.loads(rows[0]["extra"]) == record["extra"]


def test_the_catalog_holds_one_record_a_line_so_an_edit_changes_one_line(
    make_site: MakeSite, sitegen: SitegenRun
) -> None:
    files = {
        f"content/{name}.md": article(f"Story {name}", f"2024-0{n}-01", "Words here.")
        for n, name in enumerate("abc", 1)
    }
    root = make_site(files)
    assert sitegen("build", cwd=root).code == 0
    before = (root / "site/catalog.json").read_text().splitlines()
    (root / "content/b.md").write_text(article("Story b", "2024-02-01", "Words here, and more words."))
    assert sitegen("build", cwd=root).code == 0
    after = (root / "site/catalog.json").read_text().splitlines()
    assert [json.loads(line.rstrip(","))["title"] for line in after[1:-1]] == ["Story c", "Story b", "Story a"]
    assert (after[0], after[-1], len(after)) == ("[", "]", 5)
    assert [number for number, line in enumerate(after) if line != before[number]] == [2]


def _catalog_record(title: str, note: str = "") -> dict[str, object]:
    from sitegen.render.exports import CATALOG_FIELDS

    record: dict[str, object] = dict.fromkeys(CATALOG_FIELDS, "")
    record.update(title=title, topics=["Ports", "Ünïcode"], draft=False, extra={"n": 1}, word_count=3, note_html=note)
    return record


def test_a_patched_catalog_has_the_bytes_of_a_full_one() -> None:
    from sitegen.render.exports import catalog_csv, catalog_json, patch_catalog

    records = [_catalog_record(f"Story {n}", note="two\nlines" if n == 1 else "") for n in range(4)]
    edited = {0: _catalog_record('New "first"'), 3: _catalog_record("New, last")}
    after = [edited.get(place, record) for place, record in enumerate(records)]
    patched = patch_catalog(catalog_json(records), catalog_csv(records), len(records), edited)
    assert patched == (catalog_json(after), catalog_csv(after))


def test_a_catalog_whose_rows_span_lines_is_not_patched() -> None:
    from sitegen.render.exports import catalog_csv, catalog_json, patch_catalog

    records = [_catalog_record("A", note="a line\r\nbreak"), _catalog_record("B")]
    assert patch_catalog(catalog_json(records), catalog_csv(records), 2, {1: _catalog_record("C")}) is None
    assert patch_catalog(catalog_json(records), catalog_csv(records), 3, {1: _catalog_record("C")}) is None
