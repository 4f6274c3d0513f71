import pytest

from sitegen.content.frontmatter import FrontMatterError, decode_text, split_front_matter


def test_split_returns_yaml_body_and_the_body_line() -> None:
    split = split_front_matter("---\ntitle: x\ndate: 2024-01-01\n---\n\nBody.\n")
    assert split.front_matter == "title: x\ndate: 2024-01-01"
    assert split.body == "\nBody.\n"
    assert split.body_line == 5


def test_decode_drops_bom_and_normalises_line_endings() -> None:
    assert decode_text(b"\xef\xbb\xbf---\r\na: 1\r---\n") == "---\na: 1\n---\n"


def test_decode_refuses_nul_bytes() -> None:
    with pytest.raises(UnicodeError, match="NUL bytes"):
        decode_text(b"---\x00\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty; an article needs front matter with a title and a date"),
        ("  \n\n", "the file is empty; an article needs front matter with a title and a date"),
        ("title: x\n", "no front matter: the file must start with a line '---', then title: and date:, then '---'"),
        ("---\ntitle: x\n", "front matter is not closed: add a line '---' after the last field"),
    ],
)
def test_missing_or_unclosed_front_matter(text: str, message: str) -> None:
    with pytest.raises(FrontMatterError) as caught:
        split_front_matter(text)
    assert caught.value.message == message
    assert caught.value.line == 1
