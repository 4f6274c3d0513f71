"""The preview server for real: HTTP on loopback, real files, real rebuilds."""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import MakeSite, article, tree_bytes
from edits import EDITS, article_files, edit_body, edit_template, revise_in_place

import sitegen.build.steps.search
import sitegen.workers
from sitegen.build import Builder, BuildOptions
from sitegen.errors import SitegenError
from sitegen.render.environment import THEME_DIR
from sitegen.serve.changes import classify
from sitegen.serve.preview import Preview, RebuildOutcome


@pytest.fixture
def preview(make_site: MakeSite) -> Iterator[Preview]:
    root = make_site(
        {
            "sitegen.yaml": "title: Preview test\nper_page: 2\n",
            "content/2024/alpha.md": article("Alpha story", "2024-01-10", "Alpha body.", topics='["Energy"]'),
            "content/2024/beta.md": article("Beta story", "2024-02-10", "Beta body.", topics='["Energy"]'),
            "content/2024/gamma.md": article("Gamma story", "2024-03-10", "Gamma body.", topics='["Climate"]'),
        }
    )
    server = Preview(BuildOptions(root=root), port=0)
    server.serve_forever()
    yield server
    server.stop()


def get(server: Preview, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    host, port = server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        connection.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_pages_are_served_with_types_and_the_reload_script(preview: Preview) -> None:
    status, headers, body = get(preview, "/2024/01/alpha/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>Alpha story</h1>" in body
    assert b'new EventSource("/__sitegen/events")' in body
    # The script lives only in responses, never in the files written.
    assert b"EventSource" not in (preview.out_dir / "2024/01/alpha/index.html").read_bytes()
    assert get(preview, "/feed.xml")[1]["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert get(preview, "/sitemap.xml")[1]["Content-Type"] == "application/xml; charset=utf-8"
    assert get(preview, "/assets/style.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    status, headers, _ = get(preview, "/2024/01/alpha")
    assert (status, headers["Location"]) == (301, "/2024/01/alpha/")
    status, _, body = get(preview, "/no/such/page/")
    assert status == 404
    assert b"Page not found" in body
    status, headers, body = get(preview, "/2024/01/alpha/", method="HEAD")
    assert (status, body) == (200, b"")
    assert int(headers["Content-Length"]) > 0


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2Fetc%2Fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/assets/%00.css",
        "//etc/passwd",
        "/assets/../../../../etc/passwd",
        "http://evil.example/../../etc/passwd",
    ],
)
def test_path_traversal_never_leaves_the_output_folder(preview: Preview, path: str) -> None:
    status, _, body = get(preview, path)
    assert 400 <= status < 500
    assert b"root:" not in body


def test_a_symlink_out_of_the_folder_is_refused(preview: Preview, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    (preview.out_dir / "leak.txt").symlink_to(secret)
    status, _, body = get(preview, "/leak.txt")
    assert status == 400
    assert b"top secret" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"])
def test_methods_other_than_get_and_head_get_405(preview: Preview, method: str) -> None:
    status, headers, _ = get(preview, "/", method=method)
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"


def test_edits_add_rename_delete_show_up(preview: Preview) -> None:
    root = preview.options.root
    (root / "content/2024/alpha.md").write_text(article("Alpha story, revised", "2024-01-10", "New alpha text."))
    outcome = preview.rebuild(None)
    assert outcome.report is not None and outcome.report.rendered < 20
    assert b"New alpha text." in get(preview, "/2024/01/alpha/")[2]
    assert b"Alpha story, revised" in get(preview, "/")[2] or b"Alpha story, revised" in get(preview, "/page/2/")[2]

    (root / "content/2024/delta.md").write_text(article("Delta story", "2024-04-01", "Delta body."))
    preview.rebuild(None)
    assert b"Delta story" in get(preview, "/")[2]
    assert b'rel="next" href="../../04/delta/"' in get(preview, "/2024/03/gamma/")[2]

    (root / "content/2024/delta.md").rename(root / "content/2024/epsilon.md")
    preview.rebuild(None)
    assert get(preview, "/2024/04/delta/")[0] == 404
    assert get(preview, "/2024/04/epsilon/")[0] == 200
    assert not (preview.out_dir / "2024/04/delta").exists()

    (root / "content/2024/epsilon.md").unlink()
    preview.rebuild(None)
    assert get(preview, "/2024/04/epsilon/")[0] == 404
    assert b"Delta story" not in get(preview, "/")[2]


def test_one_article_edit_rerenders_only_what_shows_it(preview: Preview) -> None:
    root = preview.options.root
    before = (preview.out_dir / "topics/climate/index.html").stat().st_mtime_ns
    (root / "content/2024/alpha.md").write_text(
        article("Alpha story", "2024-01-10", "Changed body.", topics='["Energy"]')
    )
    outcome = preview.rebuild(None)
    assert outcome.report is not None
    # alpha's own page only: its listing cards show the summary, which changed too.
    assert (preview.out_dir / "topics/climate/index.html").stat().st_mtime_ns == before
    assert outcome.report.rendered < outcome.report.pages / 2


def test_a_quick_edit_reports_the_warnings_of_every_article_as_a_full_build_does(preview: Preview) -> None:
    root = preview.options.root
    content = root / "content/2024"

    def rebuild_after(path: Path, text: str) -> list[str]:
        path.write_text(text)
        outcome = preview.rebuild(classify(root, [path]))
        assert outcome.report is not None and outcome.report.shortcut == "articles"
        return [f"{Path(problem.path).name}: {problem.message}" for problem in outcome.report.warnings]

    typo = "unknown field 'sumary'; did you mean 'summary'?"
    alpha = content / "alpha.md"
    beta = content / "beta.md"
    assert rebuild_after(alpha, article("Alpha story", "2024-01-10", "Alpha body.", topics='["Energy"]', sumary="x"))
    # Another article's edit keeps alpha's warning; fixing alpha drops it; beta's own shows.
    shown = rebuild_after(beta, article("Beta story", "2024-02-10", "Beta, edited.", topics='["Energy"]'))
    assert shown == [f"alpha.md: {typo}"]
    assert rebuild_after(alpha, article("Alpha story", "2024-01-10", "Alpha body.", topics='["Energy"]')) == []
    shown = rebuild_after(beta, article("Beta story", "2024-02-10", "Beta body.", topics='["Energy"]', sumary="y"))
    assert shown == [f"beta.md: {typo}"]
    full = Builder(BuildOptions(root=root), persist=False).build().warnings
    assert shown == [f"{Path(problem.path).name}: {problem.message}" for problem in full]


class EventReader:
    """Reads the server-sent event stream on a thread, as a page would."""

    def __init__(self, server: Preview) -> None:
        host, port = server.httpd.server_address[:2]
        self.connection = http.client.HTTPConnection(str(host), int(port), timeout=30)
        self.connection.request("GET", "/__sitegen/events")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
        self.events: list[tuple[str, str]] = []
        self.arrived = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        name, data = "", []
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif not line and name:
                    with self.arrived:
                        self.events.append((name, "\n".join(data)))
                        self.arrived.notify_all()
                    name, data = "", []
        except (OSError, ValueError):
            return

    def wait_for(self, name: str, timeout: float = 15.0) -> str:
        """The data of the first event called ``name``, once it has come (at most ``timeout`` seconds)."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: any(event_name == name for event_name, _ in self.events), timeout):
                raise AssertionError(f"no {name!r} event; got {self.events}")
            event = next(event for event in self.events if event[0] == name)
            self.events.remove(event)
            return event[1]


def test_broken_article_shows_errors_then_recovers_through_the_watcher(preview: Preview) -> None:
    outcomes: list[RebuildOutcome] = []
    watcher = threading.Thread(target=preview.watch, args=(outcomes.append,), daemon=True)
    watcher.start()
    reader = EventReader(preview)
    assert reader.wait_for("hello") == "1"
    assert preview.watching.wait(timeout=15)  # edits from now on reach it
    alpha = preview.options.root / "content/2024/alpha.md"
    good_page = get(preview, "/2024/01/alpha/")[2]

    alpha.write_text("---\ntitle: Alpha\ndate: 2024-13-45\n---\nBroken.\n")
    errors = json.loads(reader.wait_for("errors"))
    assert errors == [
        f"{preview.options.root / 'content'}/2024/alpha.md:3: 'date' is not a date: \"2024-13-45\" "
        "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00)"
    ]
    assert get(preview, "/2024/01/alpha/")[2] == good_page  # the last good site stays

    alpha.write_text(article("Alpha fixed", "2024-01-10", "Fixed body."))
    reader.wait_for("reload")
    assert b"Fixed body." in get(preview, "/2024/01/alpha/")[2]
    assert [o.changes.by_kind["articles"] for o in outcomes if o.changes][-1] == ("2024/alpha.md",)


def _watched(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file() and ".sitegen" not in path.parts}


SHORTCUTS = {edit_body: "articles", revise_in_place: "articles", edit_template: "templates"}


def _rebuild_as_watched(preview: Preview, before: dict[Path, bytes], rng: random.Random) -> RebuildOutcome:
    """Rebuild with the changes a watcher would report (sometimes with none, as at start)."""
    after = _watched(preview.options.root)
    changed = [path for path in before.keys() | after.keys() if before.get(path) != after.get(path)]
    return preview.rebuild(classify(preview.options.root, changed) if rng.random() < 0.8 else None)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_edit_sequences_match_a_clean_build_byte_for_byte(preview: Preview, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    root = preview.options.root
    last_good, shortcuts = True, 0
    for step in range(25):
        before = _watched(root)
        chosen = rng.choice(EDITS)
        chosen(root, rng)
        outcome = _rebuild_as_watched(preview, before, rng)
        if last_good and outcome.changes is not None and not outcome.changes.empty and chosen in SHORTCUTS:
            assert outcome.report is not None and outcome.report.shortcut == SHORTCUTS[chosen], chosen.__name__
            shortcuts += 1
        last_good = outcome.report is not None
        if outcome.report is None:  # a broken file: fix it the way a curator would, by rewriting it
            before = _watched(root)
            for path in article_files(root):
                if "[unclosed" in path.read_text():
                    path.write_text(article(f"Fixed {step}", "2023-05-05", "Repaired."))
            assert _rebuild_as_watched(preview, before, rng).report is not None
        if step % 3 == 2 or step == 24:
            clean = tmp_path / f"clean-{step}"
            Builder(BuildOptions(root=root, out_dir=clean), persist=False).build()
            assert tree_bytes(preview.out_dir) == tree_bytes(clean), f"after step {step}"
    assert shortcuts > 0  # the sequence did take the preview's shortcuts


def test_a_quick_edit_without_the_indexers_list_of_changed_files_compares_them_all(
    preview: Preview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kept indexer names the files it changed; when it cannot (it started afresh, or
    # the files were reused as another build left them) every file is taken as changed.
    real = sitegen.build.steps.search.search_index_files
    monkeypatch.setattr(
        sitegen.build.steps.search,
        "search_index_files",
        lambda *args, **kwargs: replace(real(*args, **kwargs), changed=None),
    )
    root = preview.options.root
    rng = random.Random(7)
    for step in range(4):
        before = _watched(root)
        (edit_body if step % 2 else revise_in_place)(root, rng)
        after = _watched(root)
        outcome = preview.rebuild(classify(root, [path for path in after if before.get(path) != after[path]]))
        assert outcome.report is not None and outcome.report.shortcut == "articles"
        clean = tmp_path / f"clean-{step}"
        Builder(BuildOptions(root=root, out_dir=clean), persist=False).build()
        assert tree_bytes(preview.out_dir) == tree_bytes(clean), f"after step {step}"


def test_the_preview_starts_from_the_articles_sitegen_build_parsed(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site(
        {
            "content/2024/alpha.md": article("Alpha story", "2024-01-10", "Alpha body.", topics='["Energy"]'),
            "content/2024/beta.md": article("Beta story", "2024-02-10", "Beta body.", sumary="a typo"),
            "content/2024/gamma.md": article("Gamma story", "2024-03-10", "Gamma body.", draft="true"),
        }
    )
    Builder(BuildOptions(root=root)).build()  # what `sitegen build` saves in .sitegen/
    parsed: list[str] = []
    real = sitegen.workers.load_chunk
    monkeypatch.setattr(
        sitegen.workers, "load_chunk", lambda files: parsed.extend(path for path, _ in files) or real(files)
    )
    preview = Preview(BuildOptions(root=root, drafts=True), port=0)
    try:
        assert preview.first.report is not None and parsed == []
        assert [Path(problem.path).name for problem in preview.first.report.warnings] == ["beta.md"]
        clean = tmp_path / "clean"
        Builder(BuildOptions(root=root, out_dir=clean, drafts=True), persist=False).build()
        assert tree_bytes(preview.out_dir) == tree_bytes(clean)  # the draft is in, as asked
        (root / "content/2024/alpha.md").write_text(article("Alpha story", "2024-01-10", "Alpha, edited."))
        assert preview.rebuild(None).report is not None and parsed == ["2024/alpha.md"]
    finally:
        preview.stop()


def test_a_template_edit_on_a_larger_site_renders_on_workers_and_a_failure_changes_nothing(
    make_site: MakeSite, tmp_path: Path
) -> None:
    files = {"sitegen.yaml": "title: Many pages\n"}
    for number in range(230):
        files[f"content/story-{number:03}.md"] = article(f"Story {number}", f"2024-01-{number % 28 + 1:02}", "Text.")
    root = make_site(files)
    live = tmp_path / "live"
    builder = Builder(BuildOptions(root=root, out_dir=live, workers=2), in_place=True, persist=False)
    builder.build()
    template = root / "templates/article.html"
    template.parent.mkdir()
    theme_source = (THEME_DIR / "templates/article.html").read_text()

    # Pages render on two workers into files beside the live ones, renamed in at the write.
    template.write_text(theme_source.replace("</article>", "<p>Edited template.</p></article>", 1))
    report = builder.build(changes={"templates": ("templates/article.html",)})
    assert report.shortcut == "templates" and report.rendered == 230
    clean = tmp_path / "clean"
    Builder(BuildOptions(root=root, out_dir=clean), persist=False).build()
    assert tree_bytes(live) == tree_bytes(clean)

    # One page's template error: no page served changes and nothing is left beside them.
    before = tree_bytes(live)
    broken = '{% if article.title == "Story 7" %}{{ article.missing.deeper }}{% endif %}'
    template.write_text(theme_source.replace("</article>", broken + "</article>", 1))
    with pytest.raises(SitegenError, match=r"article\.html"):
        builder.build(changes={"templates": ("templates/article.html",)})
    assert tree_bytes(live) == before


def test_changed_files_are_written_over_unless_linked_and_a_failed_write_rewrites_all_next_time(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site(
        {
            "content/a.md": article("Harbour ferries", "2024-01-10", "Ferries cross the harbour at dawn."),
            "content/b.md": article("River barges", "2024-02-10", "Barges carry grain downriver."),
        }
    )
    live, clean = tmp_path / "live", tmp_path / "clean"
    builder = Builder(BuildOptions(root=root, out_dir=live), in_place=True, persist=False)
    builder.build()
    page = live / "2024/01/a/index.html"
    inode = page.stat().st_ino
    linked = tmp_path / "linked.html"
    linked.hardlink_to(live / "2024/02/b/index.html")
    old_linked = linked.read_bytes()

    def revise() -> None:
        for name in ("a", "b"):
            path = root / f"content/{name}.md"
            path.write_text(path.read_text().replace(".\n", ", and back.\n", 1))

    revise()
    builder.build(changes={"articles": ("a.md", "b.md")})
    Builder(BuildOptions(root=root, out_dir=clean), persist=False).build()
    assert tree_bytes(live) == tree_bytes(clean)
    assert page.stat().st_ino == inode  # written over where it was
    assert linked.read_bytes() == old_linked != (live / "2024/02/b/index.html").read_bytes()  # the link kept its bytes

    # A write that fails half way leaves files the builder's manifest does not describe.
    real_ftruncate, calls = os.ftruncate, []

    def failing_ftruncate(descriptor: int, length: int) -> None:
        calls.append(length)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_ftruncate(descriptor, length)

    # Then the edit is undone: files now as the manifest says must still be rewritten.
    sources = {path: path.read_bytes() for path in (root / "content").glob("*.md")}
    revise()
    monkeypatch.setattr("sitegen.output.os.ftruncate", failing_ftruncate)
    with pytest.raises(SitegenError, match="could not write"):
        builder.build(changes={"articles": ("a.md", "b.md")})
    monkeypatch.undo()
    for path, data in sources.items():
        path.write_bytes(data)
    builder.build(changes={"articles": ("a.md", "b.md")})
    clean_again = tmp_path / "clean-2"
    Builder(BuildOptions(root=root, out_dir=clean_again), persist=False).build()
    assert len(calls) >= 2 and tree_bytes(live) == tree_bytes(clean_again)
