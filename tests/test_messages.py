"""Every message a newcomer meets, asserted word for word through the real command line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import MakeSite, Run, article

SitegenRun = Callable[..., Run]


def test_a_url_clash_is_reported_beside_other_files_errors(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/one/x.md": article("X1", "2024-01-01"),
            "content/two/x.md": article("X2", "2024-01-20"),
            "content/broken.md": "---\ntitle: Broken\ndate: 2024-02-30\n---\n",
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines() == [
        "content/broken.md:3: 'date' is not a date: \"2024-02-30\" (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)",
        "content/two/x.md: has the same URL /2024/01/x/ as content/one/x.md; give one of them another 'slug:'",
    ]


def test_counts_take_the_singular_for_one(make_site: MakeSite, sitegen: SitegenRun, tmp_path: Path) -> None:
    root = make_site({"content/a.md": article("A", "2024-01-01", "See ![chart](missing.png).")})
    run = sitegen("build", cwd=root)
    assert run.code == 0
    summary = run.out.strip()
    assert summary.startswith("built 1 article into site: ")
    assert summary.endswith("; 1 warning")
    files = {"content/a.md": article("A", "2024-01-01"), "content/b.md": article("B", "2024-01-02")}
    two = make_site(files, root=tmp_path / "two")
    assert sitegen("build", cwd=two).out.startswith("built 2 articles into site: ")


def test_a_misspelt_title_is_named_on_its_line(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"content/a.md": "---\ntitel: Harbour trial\ndate: 2024-01-01\n---\nText.\n"})
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines() == [
        "content/a.md:2: unknown field 'titel'; did you mean 'title'? (every article needs a title)"
    ]


FRONT = "---\ntitle: Le café du port\ndate: 2024-01-01\n---\n\nIl était une fois.\n"


def test_text_in_another_encoding_is_named_with_its_line(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "content/latin1.md": FRONT.encode("latin-1"),
            "content/quotes.md": "---\ntitle: Quotes\ndate: 2024-01-01\n---\n\nShe said “yes”.\n".encode("cp1252"),
            "content/utf16.md": FRONT.encode("utf-16"),  # with a BOM
            "content/utf16le.md": FRONT.encode("utf-16-le"),  # without one
            "content/shift-jis.md": "---\ntitle: 港の記事\ndate: 2024-01-01\n---\n".encode("shift_jis"),
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines() == [
        'content/latin1.md:2: is not UTF-8: it looks like Latin-1 / Windows-1252 ("café"); save it with UTF-8 encoding',
        'content/quotes.md:6: is not UTF-8: it looks like Latin-1 / Windows-1252 ("“yes”."); '
        "save it with UTF-8 encoding",
        "content/shift-jis.md:2: is not UTF-8 (byte 0x8D is the first that is not); save it with UTF-8 encoding",
        "content/utf16.md: is UTF-16 text, not UTF-8; save it with UTF-8 encoding",
        "content/utf16le.md: is UTF-16 text, not UTF-8; save it with UTF-8 encoding",
    ]


def test_a_latin1_config_is_named_with_its_line(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site({"sitegen.yaml": "title: Archive\nauthor: Zoë Brontë\n".encode("latin-1")})
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines() == [
        'sitegen.yaml:2: is not UTF-8: it looks like Latin-1 / Windows-1252 ("Zoë"); save it with UTF-8 encoding'
    ]


def test_a_language_name_is_refused_with_its_code(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(
        {
            "sitegen.yaml": "title: Archive\nlanguage: english\n",
            "content/a.md": article("A", "2024-01-01", language="Português"),
        }
    )
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines() == [
        "sitegen.yaml:2: 'language' must be a language code like en, de or pt-BR, not \"english\"; did you mean 'en'?"
    ]
    (root / "sitegen.yaml").write_text("title: Archive\nlanguage: en-GB\n")
    run = sitegen("build", cwd=root)
    assert run.err.splitlines() == [
        "content/a.md:4: 'language' must be a language code like en, de or pt-BR, not \"Português\"; did you mean 'pt'?"
    ]


def test_a_template_error_is_told_once_in_the_authors_words(make_site: MakeSite, sitegen: SitegenRun) -> None:
    files = {f"content/s{n}.md": article(f"Story {n}", f"2024-0{n}-05", topics="[Energy]") for n in (1, 2, 3)}
    root = make_site(files)
    assert " 16 pages " in sitegen("build", cwd=root).out
    footer = root / "templates/partials/footer.html"
    footer.parent.mkdir(parents=True)
    footer.write_text("<footer>\n<p>Curated by {{ site.curator_email }}</p>\n</footer>\n")
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines() == [
        "templates/partials/footer.html:2: template error: site has no setting 'curator_email' "
        "(rendering /2024/03/s3/ and 15 more pages)"
    ]
    article_page = root / "templates/article.html"
    article_page.write_text('{% extends "base.html" %}\n{% block content %}\n{{ article.titel }}\n{% endblock %}\n')
    footer.write_text("<footer>\n{{ page.kindd }}\n</footer>\n")
    run = sitegen("build", cwd=root)
    assert run.err.splitlines() == [
        "templates/article.html:3: template error: article has no field 'titel'; did you mean 'title'? "
        "(rendering /2024/03/s3/ and 2 more pages)",
        "templates/partials/footer.html:2: template error: page has no field 'kindd'; did you mean 'kind'? "
        "(rendering / and 12 more pages)",
    ]


def test_a_template_error_on_pages_rendered_by_several_workers_is_told_once(
    make_site: MakeSite, sitegen: SitegenRun
) -> None:
    files = {f"content/s{n:03}.md": article(f"Story {n}", f"2024-01-{n % 28 + 1:02}") for n in range(230)}
    files["templates/article.html"] = '{% extends "base.html" %}\n{% block content %}{{ site.curator }}{% endblock %}\n'
    root = make_site(files)
    run = sitegen("build", "-q", cwd=root)  # errors only, without the progress lines
    assert run.code == 1
    assert run.err.splitlines() == [
        "templates/article.html:2: template error: site has no setting 'curator' (rendering /2024/01/s223/ "
        "and 229 more pages)"
    ]


CHECK_THEN_FORMAT = """
from sitegen.i18n import format_number, text_direction
from sitegen.language import language_problem
print(language_problem("language", "Deutsch"))
print(text_direction("ru"), text_direction("ar"), format_number(1234567, "ru"))
"""


def test_suggesting_a_code_from_a_native_name_leaves_babels_locales_whole() -> None:
    # Looking up 'Deutsch' reads every language's data; done through Babel's unmerged loader,
    # it left each locale without its inherited fields, and later pages failed to render.
    result = subprocess.run(
        [sys.executable, "-c", CHECK_THEN_FORMAT], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.stderr == ""
    suggestion, formatted = result.stdout.splitlines()
    assert "did you mean 'de'?" in suggestion
    assert formatted == "ltr rtl 1\u00a0234\u00a0567"
