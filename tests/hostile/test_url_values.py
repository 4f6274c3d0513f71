"""URL values that Python's urlsplit refuses are content errors, never tracebacks (issue 22)."""

from __future__ import annotations

import http.client
from collections.abc import Callable

import pytest
from conftest import MakeSite, Run, article

from sitegen.build import BuildOptions
from sitegen.serve.preview import Preview

BAD_SOURCE = article("Bad source", source_url='"http://[::1"')
SOURCE_MESSAGE = "content/bad.md:4: 'source_url' is not a valid URL (Invalid IPv6 URL): \"http://[::1\""
BASE_MESSAGE = "sitegen.yaml:1: 'base_url' is not a valid URL (Invalid IPv6 URL): 'http://[::1/'"


def test_an_unclosed_ipv6_source_url_is_a_content_error(make_site: MakeSite, sitegen: Callable[..., Run]) -> None:
    root = make_site({"content/bad.md": BAD_SOURCE})
    result = sitegen("build", cwd=root)
    assert (result.code, result.err) == (1, SOURCE_MESSAGE + "\n")


def test_an_unclosed_ipv6_base_url_is_a_config_error(make_site: MakeSite, sitegen: Callable[..., Run]) -> None:
    root = make_site({"sitegen.yaml": 'base_url: "http://[::1/"\n', "content/a.md": article()})
    result = sitegen("build", cwd=root)
    assert (result.code, result.err) == (1, BASE_MESSAGE + "\n")


def test_a_bad_base_url_flag_is_an_error_naming_the_flag(make_site: MakeSite, sitegen: Callable[..., Run]) -> None:
    root = make_site({"content/a.md": article()})
    result = sitegen("build", "--base-url", "http://[oops/", cwd=root)
    assert result.code == 1
    assert result.err == "--base-url: '--base-url' is not a valid URL (Invalid IPv6 URL): 'http://[oops/'\n"
    assert not (root / "site").exists()


def _status(server: Preview, path: str) -> int:
    host, port = server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_the_preview_shows_a_bad_url_in_its_overlay_and_keeps_serving(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site({"content/good.md": article("Good", "2024-03-05")})
    monkeypatch.chdir(root)  # messages name files relative to the working folder
    server = Preview(BuildOptions(root=root, workers=1), port=0)
    server.serve_forever()
    try:
        (root / "sitegen.yaml").write_text('base_url: "http://[::1/"\n', encoding="utf-8")
        outcome = server.rebuild(None)
        assert outcome.errors == (BASE_MESSAGE,)
        assert server.hub.errors == (BASE_MESSAGE,)
        assert _status(server, "/2024/03/good/") == 200

        (root / "sitegen.yaml").unlink()
        (root / "content/bad.md").write_text(BAD_SOURCE, encoding="utf-8")
        outcome = server.rebuild(None)
        assert outcome.errors == (SOURCE_MESSAGE,)
        assert server.hub.errors == (SOURCE_MESSAGE,)
        assert _status(server, "/2024/03/good/") == 200
    finally:
        server.stop()
