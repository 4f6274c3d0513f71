"""Listing cards rendered once per article: the same pages as rendering each card per page."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import MakeSite, Run, article, tree_bytes

from sitegen.model import Article
from sitegen.render.cards import card_template_is_cacheable
from sitegen.render.environment import THEME_DIR, make_environment
from sitegen.render.views import Card, TermLink

SitegenRun = Callable[..., Run]

THEME_CARD = (THEME_DIR / "templates/partials/card.html").read_text()


@pytest.mark.parametrize(
    ("source", "cacheable"),
    [
        (THEME_CARD, True),
        ('<a href="{{ card.article.url|link }}">{{ card.article.title }}</a> {{ month_names[0] }}', True),
        ("{{ page.url }}", False),  # the page, not the card
        ("{{ link(card.article.url) }}", False),  # a call, not the filter
        ("{{ card.article.url|link|upper }}", False),  # the link is changed before it is written
        ("{% set to = card.article.url|link %}{{ to }}", False),
        ("{% if card.article.url|link == '../' %}x{% endif %}", False),
        ("{% autoescape false %}{{ card.article.url|link }}{% endautoescape %}", False),
        ('{% include "partials/footer.html" %}', False),
        ("{% for c in [card] %}{{ loop.index }}{% endfor %}", True),  # its own loop
        ("{{ loop.index }}", False),  # the listing's loop
    ],
)
def test_a_card_template_is_rendered_once_only_when_its_output_depends_on_the_card_alone(
    tmp_path: Path, source: str, cacheable: bool
) -> None:
    env = make_environment(tmp_path)
    assert card_template_is_cacheable(env, env.parse(source)) is cacheable


def _archive(card: str | None) -> dict[str, str]:
    files = {"sitegen.yaml": "per_page: 3\n"}
    if card is not None:
        files["templates/partials/card.html"] = card
    topics = ['["Energy", "Ports"]', '["Energy"]', '["Ports & Harbours", "Élan"]']
    for day in range(1, 10):
        files[f"content/{day:02d}/story.md"] = article(
            f'Story {day} <b>&</b> "q"',
            f"2024-0{1 + day % 3}-0{day}",
            slug=f"story-{day}",
            topics=topics[day % 3],
            tags='["Tides"]' if day % 2 else '["Ferries", "Tides"]',
            authors='["Ana Lima"]',
            source="The Harbour Gazette",
        )
    return files


def test_cards_rendered_once_give_the_pages_that_rendering_each_card_per_page_gives(
    make_site: MakeSite, sitegen: SitegenRun, tmp_path: Path
) -> None:
    # The theme's card with one more expression that reads the page, and writes nothing: it
    # cannot be rendered once, so every listing renders it anew, as an include does.
    per_page_card = THEME_CARD + '{{ "" if page.url else "" }}'
    once = make_site(_archive(None), tmp_path / "once")
    each = make_site(_archive(per_page_card), tmp_path / "each")
    assert sitegen("build", cwd=once).code == 0
    assert sitegen("build", cwd=each).code == 0
    built = tree_bytes(once / "site")
    assert built == tree_bytes(each / "site")
    listing = built["topics/energy/page/2/index.html"].decode()
    assert '<a href="../../../../2024/01/story-9/">Story 9 &lt;b&gt;&amp;&lt;/b&gt; &#34;q&#34;</a>' in listing
    assert '<li><a href="../../../ports/">Ports</a></li>' in listing
    home = built["index.html"].decode()
    assert '<a href="topics/ports-harbours/">Ports &amp; Harbours</a>' in home


def test_a_card_that_reads_the_page_shows_each_page_its_own(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(_archive('<p class="on">{{ card.article.slug }} on {{ page.url }}</p>\n'))
    assert sitegen("build", cwd=root).code == 0
    assert '<p class="on">story-8 on /</p>' in (root / "site/index.html").read_text()
    tides = (root / "site/tags/tides/index.html").read_text()
    assert '<p class="on">story-5 on /tags/tides/</p>' in tides


def test_a_card_template_edit_reaches_every_listing(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = make_site(_archive(None))
    assert sitegen("build", cwd=root).code == 0
    listings = [root / "site/index.html", root / "site/topics/energy/index.html", root / "site/archive/2024/index.html"]
    assert all('<article class="card"' in page.read_text() for page in listings)
    card = root / "templates/partials/card.html"
    card.parent.mkdir(parents=True)
    card.write_text('<article class="edited">{{ card.article.title }}</article>\n')
    assert sitegen("build", cwd=root).code == 0
    assert all('<article class="edited">' in page.read_text() for page in listings)
    card.write_text('<article class="edited">\n{{ card.no_such_field }}\n</article>\n')
    run = sitegen("build", cwd=root)
    assert run.code == 1
    assert run.err.splitlines()[0].startswith("templates/partials/card.html:2: template error: ")


def test_a_filled_in_link_is_escaped_as_the_template_would_escape_it(tmp_path: Path) -> None:
    source = Article(path="a.md", slug="a", url="/a/", title="A & B", date=date(2024, 1, 2), source="Wire")
    card = Card(article=source, topics=(TermLink("Ports", "/topics/ports/"),), tags=(), authors=(), source=None)
    env = make_environment(tmp_path)
    listing = env.from_string("{% for card in cards %}{{ card|card_html }}{% endfor %}")
    included = env.from_string('{% for card in cards %}{% include "partials/card.html" %}{% endfor %}')
    for link in (lambda url: f"..{url}", lambda url: f"x.html?a=1&b='{url}'#\"<>"):
        context = {"cards": [card, card], "link": link}
        assert listing.render(context) == included.render(context)
    assert "x.html?a=1&amp;b=&#39;/topics/ports/&#39;#&#34;&lt;&gt;" in listing.render(context)


def test_the_environment_keeps_no_card_alive_and_renders_any_other_value_per_page(tmp_path: Path) -> None:
    source = Article(path="a.md", slug="a", url="/a/", title="A", date=date(2024, 1, 2))
    card = Card(article=source, topics=(), tags=(), authors=(), source=None)
    env = make_environment(tmp_path)
    listing = env.from_string("{% for card in cards %}{{ card|card_html }}{% endfor %}")
    first = listing.render({"cards": [card], "link": lambda url: f"..{url}"})
    assert '<a href="../a/">A</a>' in first
    alive = weakref.ref(card)
    del card
    gc.collect()
    assert alive() is None  # a long-lived preview would otherwise hold every card it rendered
    as_dict = {"article": source, "topics": (), "source": None, "more_topics": 0}
    assert listing.render({"cards": [as_dict], "link": lambda url: f"..{url}"}) == first
