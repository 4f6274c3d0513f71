"""Requests during rebuilds see a complete old page or a complete new one, never a mix."""

from __future__ import annotations

import http.client
import threading
import time

from conftest import MakeSite, article

from sitegen.build import BuildOptions
from sitegen.serve.preview import Preview


def test_every_response_during_rebuilds_is_a_whole_page(make_site: MakeSite) -> None:
    files = {f"content/n{n}.md": article(f"Note {n}", f"2024-02-{n + 1:02d}", "Body. " * 300) for n in range(25)}
    root = make_site(files)
    preview = Preview(BuildOptions(root=root), port=0)
    preview.serve_forever()
    host, port = preview.httpd.server_address[:2]
    versions: set[str] = set()
    bad: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        connection = http.client.HTTPConnection(str(host), int(port), timeout=30)
        while not stop.is_set():
            connection.request("GET", "/2024/02/n3/")
            body = connection.getresponse().read().decode()
            if not body.rstrip().endswith("</html>") or body.count("<h1>") != 1:
                bad.append(body[-200:])
                continue
            title = body.split("<h1>", 1)[1].split("</h1>", 1)[0]
            versions.add(title)
            # The page's own heading and its <title> always come from the same build.
            if f"<title>{title} ·" not in body:
                bad.append(f"mixed: {title}")

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    try:
        for version in range(12):
            (root / "content/n3.md").write_text(
                article(f"Note 3 v{version}", "2024-02-04", f"Version {version}. " * 300)
            )
            assert preview.rebuild(None).report is not None
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        preview.stop()
    assert bad == []
    assert len(versions) >= 3  # the readers really did see pages change under them
