"""The importer's one error: a page that cannot become an article."""

from __future__ import annotations

from sitegen.errors import Problem, SitegenError


class PageProblem(SitegenError):
    """A page is unusable; `messages` says each thing missing or unreadable, in page order.

    import_pages catches it and reports "path: message" lines, so it never reaches the CLI.
    """

    def __init__(self, messages: tuple[str, ...]) -> None:
        super().__init__([Problem("", None, message) for message in messages])
        self.messages = messages
