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
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sitegen import __version__
from sitegen.build import BuildOptions, build
from sitegen.errors import Problem, SitegenError
from sitegen.scaffold import create_archive

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

    import_parser = commands.add_parser("import", help="turn scraped article pages into Markdown articles")
    import_parser.add_argument("files", nargs="+", help="text or HTML files; - reads standard input")
    import_parser.add_argument("--into", type=Path, default=Path("content"), help="content folder (default: content)")
    import_parser.add_argument("--topics", default="", help='comma-separated topics, e.g. "Energy, Asia"')
    import_parser.add_argument("--dry-run", action="store_true", help="print the articles instead of writing them")
    import_parser.add_argument("--force", action="store_true", help="overwrite existing articles")
    import_parser.set_defaults(run=_run_import)

    migrate_parser = commands.add_parser(
        "migrate", help="rewrite a Jekyll, Hugo, Zola or Pelican archive in sitegen's own terms, into a new folder"
    )
    migrate_parser.add_argument("root", nargs="?", default=".", type=Path, help="the archive folder (default: .)")
    migrate_parser.add_argument("--into", type=Path, help="the new content folder (default: ROOT/content-migrated)")
    migrate_parser.add_argument("--dry-run", action="store_true", help="print a diff instead of writing")
    migrate_parser.set_defaults(run=_run_migrate)

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


def _run_migrate(args: argparse.Namespace) -> int:
    from sitegen.config import load_config
    from sitegen.migrate import migration_diff, plan_migration, write_migration

    if not (args.root / "content").is_dir():
        raise SitegenError(f"{args.root / 'content'} is not a folder")
    config, warnings = load_config(args.root)
    _print_problems(warnings, sys.stderr, prefix="warning: ")
    migration = plan_migration(args.root, config)
    into = args.into or args.root / "content-migrated"
    if args.dry_run:
        sys.stdout.write(migration_diff(migration, "content/", f"{into.name}/"))
    else:
        write_migration(migration, args.root / "content", into)
        rewritten = sum(1 for file in migration.files if file.text is not None)
        print(f"migrated {rewritten} articles and {len(migration.files) - rewritten} other files into {into}")
    if migration.left_out:
        count = len(migration.left_out)
        print(f"left out {count} file{'' if count == 1 else 's'}: {', '.join(migration.left_out)}", file=sys.stderr)
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

    topics = [topic.strip() for topic in args.topics.split(",") if topic.strip()]
    stdin_text = sys.stdin.read() if "-" in args.files else None
    report = import_pages(
        list(args.files), into=args.into, topics=topics, dry_run=args.dry_run, force=args.force, stdin_text=stdin_text
    )
    for line in report.skipped:
        print(f"warning: {line}", file=sys.stderr)
    for line in report.problems:
        print(line, file=sys.stderr)
    if args.dry_run:
        for text in report.articles:
            sys.stdout.write(text)
    for path in report.written:
        print(path)
    return 1 if report.problems else 0


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
