from pathlib import Path

import pytest

from sitegen.config import Config, load_config
from sitegen.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "sitegen.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_missing_config_gives_defaults(tmp_path: Path) -> None:
    config, warnings = load_config(tmp_path)
    assert config == Config()
    assert warnings == []


def test_values_are_read_and_base_url_gets_a_trailing_slash(tmp_path: Path) -> None:
    config, _ = load_config(write(tmp_path, "title: T\nbase_url: https://example.org/archive\nper_page: 5\n"))
    assert (config.title, config.base_url, config.base_path, config.per_page) == (
        "T",
        "https://example.org/archive/",
        "/archive/",
        5,
    )


def test_unknown_key_warns_with_the_intended_key(tmp_path: Path) -> None:
    _, warnings = load_config(write(tmp_path, "title: T\nbase_ulr: https://x.example/\n"))
    assert [str(w) for w in warnings] == [
        f"{tmp_path / 'sitegen.yaml'}:2: unknown setting 'base_ulr'; did you mean 'base_url'?"
    ]


def test_every_bad_value_is_reported_at_once(tmp_path: Path) -> None:
    write(
        tmp_path, "base_url: ftp://x\nper_page: -3\nmarkdown: {unsafe_html: maybe}\npermalinks: {article: '/{year}/'}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (1, "'base_url' must be an http(s) URL or a path starting with '/', not 'ftp://x'"),
        (2, "'per_page' must be a positive whole number, not -3"),
        (3, "'markdown.unsafe_html' must be true or false"),
        (4, "permalink 'article': must contain {slug}"),
    ]


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, "title: T\nper_page: [1\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.problems[0].line == 2  # where the list opens, not where the text ends
    assert caught.value.problems[0].message == (
        "invalid YAML: the list opened with '[' on this line is not closed; end it with ']' "
        "(or put the whole value in quotes)"
    )
