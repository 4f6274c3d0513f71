"""The command line: parse arguments, run a command, print results and errors.

This is the only module that prints. Exit codes: 0 success, 1 bad content or config,
2 usage error (argparse's own).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from sitegen import __version__
from sitegen.build import BuildOptions, build
from sitegen.errors import Problem, SitegenError
from sitegen.scaffold import create_archive

EXPORT_KINDS = ("bookmarks", "feed", "instapaper", "wallabag", "warc")  # sitegen.importer.exports.READERS

_PROGRESS_AFTER_SECONDS = 2.0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except SitegenError as error:
        _print_problems(error.problems, sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description="Build a static archive site from Markdown articles.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_parser = commands.add_parser("build", help="build content/ into site/")
    build_parser.add_argument("root", nargs="?", default=".", type=Path, help="the archive folder (default: .)")
    build_parser.add_argument("-o", "--output", type=Path, help="output folder (default: ROOT/site)")
    build_parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    build_parser.add_argument("--future", action="store_true", help="include articles dated in the future")
    build_parser.add_argument("--base-url", help="the URL the site is served from, e.g. https://example.org/archive/")
    build_parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build_parser.add_argument(
        "--offline", action="store_true", help="write links to explicit index.html files, for browsing from disk"
    )
    build_parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    build_parser.set_defaults(run=_run_build)

    init_parser = commands.add_parser("init", help="create a new archive that builds as it is")
    init_parser.add_argument("folder", type=Path)
    init_parser.set_defaults(run=_run_init)

    serve_parser = commands.add_parser("serve", help="preview the archive, rebuilding and reloading on changes")
    serve_parser.add_argument("root", nargs="?", default=".", type=Path, help="the archive folder (default: .)")
    serve_parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks one)")
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    serve_parser.add_argument("--future", action="store_true", help="include articles dated in the future")
    serve_parser.add_argument("--open", action="store_true", help="open the site in a web browser")
    serve_parser.set_defaults(run=_run_serve)

    import_parser = commands.add_parser(
        "import", help="turn web pages, saved pages and exports (bookmarks, feeds, read-later, WARC) into articles"
    )
    import_parser.add_argument(
        "files",
        nargs="+",
        metavar="SOURCE",
        help="URLs, saved text or HTML files, or exports with --from; - reads stdin",
    )
    import_parser.add_argument(
        "--from", dest="kind", choices=EXPORT_KINDS, help="read each SOURCE as an export of this kind"
    )
    import_parser.add_argument("--into", type=Path, default=Path("content"), help="content folder (default: content)")
    import_parser.add_argument("--topics", default="", help='comma-separated topics, e.g. "Energy, Asia"')
    import_parser.add_argument("--dry-run", action="store_true", help="print the articles instead of writing them")
    import_parser.add_argument("--force", action="store_true", help="overwrite existing articles")
    import_parser.add_argument(
        "--publish-captures", action="store_true", help="publish a copy of each page, scripts removed, beside it"
    )
    import_parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a server (default: 20)")
    import_parser.add_argument(
        "--delay", type=float, default=1.0, help="seconds between requests to one host (default: 1)"
    )
    import_parser.add_argument("--retries", type=int, default=3, help="retries after a 429 or 5xx answer (default: 3)")
    import_parser.add_argument("--max-size", type=float, default=10.0, help="largest page in MB (default: 10)")
    import_parser.add_argument("--parallel", type=int, default=4, help="hosts fetched at once (default: 4)")
    import_parser.set_defaults(run=_run_import)

    search_parser = commands.add_parser("search", help="search the archive's articles (as last built)")
    search_parser.add_argument("root", nargs="?", default=".", type=Path, help="the archive folder (default: .)")
    search_parser.add_argument("query", help='words, "phrases", prefix*, OR, -word, topic:, source:, author:, date:')
    search_parser.add_argument("-n", "--limit", type=int, default=10, help="how many results (default: 10)")
    search_parser.add_argument("--json", action="store_true", help="print one JSON object per result")
    search_parser.set_defaults(run=_run_search)
    return parser


def _run_build(args: argparse.Namespace) -> int:
    options = BuildOptions(
        root=args.root,
        out_dir=args.output,
        drafts=args.drafts,
        future=args.future,
        base_url=args.base_url,
        strict=args.strict,
        offline=args.offline,
    )
    if not args.root.is_dir():
        raise SitegenError(f"{args.root} is not a folder")
    progress = _Progress(enabled=not args.quiet and sys.stderr.isatty())
    report = build(options, on_step=progress.step, on_wait=_say_waiting)
    if not args.quiet:
        _print_problems(report.warnings, sys.stderr, prefix="warning: ")
        print(
            f"built {report.articles} articles into {options.output}: {report.pages} pages "
            f"({report.rendered} rendered), {report.written} files written, {report.unchanged} unchanged, "
            f"in {report.seconds:.2f} s"
        )
    return 0


def _say_waiting() -> None:
    print("another build of this archive is running; waiting for it to finish", file=sys.stderr, flush=True)


class _Progress:
    """Shows build steps on a terminal once a build has run for a couple of seconds."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()
        self.pending: list[str] = []

    def step(self, name: str, seconds: float) -> None:
        if not self.enabled:
            return
        self.pending.append(f"  {name}: {seconds:.2f} s")
        if time.perf_counter() - self.started >= _PROGRESS_AFTER_SECONDS:
            for line in self.pending:
                print(line, file=sys.stderr, flush=True)
            self.pending.clear()


def _run_serve(args: argparse.Namespace) -> int:
    from sitegen.serve.preview import Preview, RebuildOutcome

    if not args.root.is_dir():
        raise SitegenError(f"{args.root} is not a folder")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {args.host}: other machines can reach this preview", file=sys.stderr)
    options = BuildOptions(root=args.root, drafts=args.drafts, future=args.future)
    try:
        preview = Preview(options, host=args.host, port=args.port)
    except OSError as error:
        raise SitegenError(f"cannot listen on {args.host}:{args.port}: {error.strerror}") from None

    def report(outcome: RebuildOutcome) -> None:
        what = outcome.changes.describe() if outcome.changes else "first build"
        if outcome.report is None:
            print(f"{what}: build failed in {outcome.milliseconds:.0f} ms", flush=True)
            for line in outcome.errors:
                print(f"  {line}", file=sys.stderr, flush=True)
            return
        print(
            f"{what}: {outcome.report.rendered} pages rendered, {outcome.report.written} files written, "
            f"{outcome.report.removed} removed in {outcome.milliseconds:.0f} ms",
            flush=True,
        )

    report(preview.first)
    signal.signal(signal.SIGTERM, _interrupt)
    preview.serve_forever()
    print(f"serving {args.root} at {preview.url} (Ctrl-C stops)", flush=True)
    if args.open:
        import webbrowser

        webbrowser.open(preview.url)
    try:
        preview.watch(report)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
    print("stopped", flush=True)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the preview the way Ctrl-C does."""
    raise KeyboardInterrupt


def _run_init(args: argparse.Namespace) -> int:
    created = create_archive(args.folder)
    print(f"created {created}; build it with: sitegen build {created}")
    return 0


def _run_import(args: argparse.Namespace) -> int:
    from sitegen.importer import import_pages
    from sitegen.importer.fetch import FetchPolicy
    from sitegen.importer.sources import read_exports, sort_sources
    from sitegen.importer.web import WebImport, import_leads

    topics = [topic.strip() for topic in args.topics.split(",") if topic.strip()]
    stdin_bytes = _read_stdin() if "-" in args.files else None
    stdin_text = stdin_bytes.decode("utf-8", errors="surrogateescape") if stdin_bytes is not None else None
    policy = FetchPolicy(
        timeout=args.timeout,
        per_host_delay=args.delay,
        retries=args.retries,
        max_bytes=int(args.max_size * 1024 * 1024),
        parallel_hosts=args.parallel,
    )
    if args.kind:
        sources = read_exports(args.kind, list(args.files), policy, stdin_bytes)
    else:
        sources = sort_sources(list(args.files), stdin_text)
    for line in sources.problems:
        print(line, file=sys.stderr)
    reports = []
    if sources.pages:
        reports.append(
            import_pages(
                list(sources.pages),
                into=args.into,
                topics=topics,
                dry_run=args.dry_run,
                force=args.force,
                stdin_text=stdin_text,
            )
        )
    if sources.leads:
        request = WebImport(
            into=args.into,
            topics=tuple(topics),
            dry_run=args.dry_run,
            force=args.force,
            publish_captures=args.publish_captures,
            policy=policy,
        )
        reports.append(import_leads(sources.leads, request, on_progress=_import_progress()))
    problems = [*sources.problems]
    for report in reports:
        for line in report.skipped:
            print(f"warning: {line}", file=sys.stderr)
        for line in report.problems:
            print(line, file=sys.stderr)
        problems += report.problems
        if args.dry_run:
            for text in report.articles:
                sys.stdout.write(text)
        for path in report.written:
            print(path)
    if problems:
        imported = sum(len(report.articles) for report in reports)
        done = "would be imported" if args.dry_run else "imported"
        print(f"{imported} article{'' if imported == 1 else 's'} {done}; {len(problems)} failed", file=sys.stderr)
    return 1 if problems else 0


def _read_stdin() -> bytes:
    buffer = getattr(sys.stdin, "buffer", None)  # absent when a test hands in a StringIO
    return buffer.read() if buffer is not None else sys.stdin.read().encode("utf-8", errors="surrogateescape")


def _import_progress() -> Callable[[Any], None] | None:
    """A line per page on a terminal: how far, and how many failed so far."""
    if not sys.stderr.isatty():
        return None

    def show(progress: Any) -> None:
        failed = f", {progress.failures} failed" if progress.failures else ""
        print(f"[{progress.done}/{progress.total}{failed}] {progress.last}", file=sys.stderr, flush=True)

    return show


def _run_search(args: argparse.Namespace) -> int:
    from sitegen.search.snippet import snippet_highlights, snippet_text
    from sitegen.search.whoosh_index import search_archive

    if not args.root.is_dir():
        raise SitegenError(f"{args.root} is not a folder")

    def progress(done: int, total: int) -> None:
        print(f"\rindexing articles for search: {done}/{total}", end="" if done < total else "\n", file=sys.stderr)

    results = search_archive(
        args.root, args.query, limit=args.limit, on_progress=progress if sys.stderr.isatty() else None
    )
    _print_problems(results.warnings, sys.stderr, prefix="warning: ")
    for number, hit in enumerate(results.hits, start=1):
        if args.json:
            fields = {"url": hit.url, "link": hit.link, "title": hit.title, "date": hit.date, "score": hit.score}
            found = {"snippet": snippet_text(hit.snippet), "highlights": snippet_highlights(hit.snippet)}
            print(json.dumps({**fields, **found}, ensure_ascii=False))
            continue
        bold = sys.stdout.isatty()
        snippet = snippet_text(hit.snippet, (lambda w: f"\033[1m{w}\033[0m") if bold else (lambda w: f"*{w}*"))
        print(f"{number}. {hit.title}\n   {hit.date}  {hit.link}\n   {snippet}")
    if not args.json:
        shown = f"{len(results.hits)} of {results.total}" if results.total > len(results.hits) else f"{results.total}"
        print(f"{shown} result{'' if results.total == 1 else 's'} for {args.query}")
    return 0


def _print_problems(problems: Sequence[Problem], stream: TextIO, prefix: str = "") -> None:
    for problem in problems:
        where = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
        print(f"{where}: {prefix}{problem.message}", file=stream)


if __name__ == "__main__":
    sys.exit(main())
