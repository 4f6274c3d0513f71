from datetime import date, datetime, timedelta, timezone

import pytest

from sitegen.urls import article_url, output_file, paged_url, relative_link, slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hello, World!", "hello-world"),
        ("  Ports & Harbours  ", "ports-harbours"),
        ("В Северозёрске запустили котельную", "в-северозёрске-запустили-котельную"),
        ("서울 지하철 연장", "서울-지하철-연장"),
        ("Wärmepumpen im Altbau", "wärmepumpen-im-altbau"),
        ("../../etc", "etc"),
        ("/abs/path", "abs-path"),
        ("snake_case_name", "snake-case-name"),
        ("!!!", ""),
    ],
)
def test_slugify_keeps_unicode_letters_and_drops_everything_else(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_caps_length_at_a_word_boundary() -> None:
    slug = slugify("word " * 60)
    assert len(slug) <= 120
    assert slug.endswith("word")


def test_article_url_uses_date_parts_and_slug() -> None:
    published = datetime(2022, 8, 3, 23, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert article_url("/{year}/{month}/{slug}/", published, "x") == "/2022/08/x/"
    assert article_url("/{year}/{month}/{day}/{slug}/", date(2021, 1, 9), "y") == "/2021/01/09/y/"


def test_paged_and_output_paths() -> None:
    assert paged_url("/topics/energy/", 1) == "/topics/energy/"
    assert paged_url("/", 3) == "/page/3/"
    assert output_file("/2022/08/x/") == "2022/08/x/index.html"
    assert output_file("/") == "index.html"
    assert output_file("/404.html") == "404.html"


@pytest.mark.parametrize(
    ("source", "target", "offline", "link"),
    [
        ("/2022/08/x/", "/", False, "../../../"),
        ("/2022/08/x/", "/", True, "../../../index.html"),
        ("/", "/", False, "./"),
        ("/", "/", True, "index.html"),
        ("/", "/topics/energy/", False, "topics/energy/"),
        ("/topics/energy/", "/assets/style.css", False, "../../assets/style.css"),
        ("/topics/", "/topics/", False, "./"),
        (
            "/",
            "/2023/05/северозёрск/",
            False,
            "2023/05/%D1%81%D0%B5%D0%B2%D0%B5%D1%80%D0%BE%D0%B7%D1%91%D1%80%D1%81%D0%BA/",
        ),
    ],
)
def test_relative_links_work_under_any_base_path(source: str, target: str, offline: bool, link: str) -> None:
    assert relative_link(source, target, explicit_index=offline) == link
