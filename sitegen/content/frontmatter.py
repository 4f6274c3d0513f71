"""Split an article file into its YAML front matter and Markdown body."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.textfile import decode_utf8

FENCE = "---"


@dataclass(frozen=True)
class SplitFile:
    """The two parts of an article file and where the body starts."""

    front_matter: str
    body: str
    body_line: int  # 1-based line of the body's first line


class FrontMatterError(Exception):
    """The file has no usable front-matter block."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def decode_text(data: bytes) -> str:
    """UTF-8 text with a BOM dropped and every line ending turned into ``\\n``.

    Raises TextEncodingError (a UnicodeError) naming the encoding found instead.
    """
    return decode_utf8(data)


def split_front_matter(text: str) -> SplitFile:
    """Separate the block between the first two ``---`` lines from the body."""
    if not text.strip():
        raise FrontMatterError(1, "the file is empty; an article needs front matter with a title and a date")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        raise FrontMatterError(
            1, "no front matter: the file must start with a line '---', then title: and date:, then '---'"
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return SplitFile(
                front_matter="\n".join(lines[1:index]),
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    raise FrontMatterError(1, "front matter is not closed: add a line '---' after the last field")
