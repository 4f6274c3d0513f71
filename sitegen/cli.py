"""The command line: parse arguments, run a command, print results and errors.

This is the only module that prints. Exit codes: 0 success, 1 bad content or config,
2 usage error (argparse's own).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sitegen import __version__
from sitegen.build import BuildOptions, build
from sitegen.characters import visible
from sitegen.errors import Problem, SitegenError
from sitegen.progress import CountProgress, progress_display
from sitegen.scaffold import create_archive, create_article
from sitegen.wording import counted

EXPORT_KINDS = ("bookmarks", "feed", "instapaper", "wallabag", "warc")  # sitegen.importer.exports.READERS


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
    except BrokenPipeError:
        # The reader stopped reading (``sitegen search ... | head``): what it wanted, it has.
        # Output still buffered would fail again when Python flushes it at exit: send it nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


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
    build_parser.add_argument(
        "-j",
        "--jobs",
        type=_job_count,
        help="processes that load articles and render pages (default: one per core)",
    )
    build_parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    build_parser.add_argument(
        "--force",
        action="store_true",
        help="replace an output folder that holds files sitegen did not write (never the archive's own folders)",
    )
    build_parser.set_defaults(run=_run_build)

    init_parser = commands.add_parser("init", help="create a new archive that builds as it is")
    init_parser.add_argument("folder", type=Path)
    for host, name in (("github-pages", "GitHub Pages"), ("netlify", "Netlify"), ("cloudflare", "Cloudflare Pages")):
        help_text = f"add the files that publish it on {name} (also to an existing archive)"
        init_parser.add_argument(f"--{host}", action="store_true", help=help_text)
    init_parser.set_defaults(run=_run_init)

    new_parser = commands.add_parser("new", help="create an article, front matter filled in, and print its path")
    new_parser.add_argument("title", help="the article's title; its slug names the file")
    new_parser.add_argument("--topics", default="", help='comma-separated topics, e.g. "Energy, Asia"')
    new_parser.add_argument("--root", type=Path, default=Path("."), help="the archive folder (default: .)")
    new_parser.set_defaults(run=_run_new)

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
    search_parser.set_defaults(run=_run_search, usage_error=search_parser.error)
    return parser


def _job_count(text: str) -> int:
    """A --jobs value: a whole number of processes, at least one."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of processes, 1 or more, not {text!r}")
    return int(text)


def _run_build(args: argparse.Namespace) -> int:
    options = BuildOptions(
        root=args.root,
        out_dir=args.output,
        drafts=args.drafts,
        future=args.future,
        base_url=args.base_url,
        strict=args.strict,
        offline=args.offline,
        workers=args.jobs,
        force=args.force,
    )
    if not args.root.is_dir():
        raise SitegenError(f"{args.root} is not a folder")
    with progress_display(sys.stderr, quiet=args.quiet) as display:
        say = display.note if display is not None else _print_error
        report = build(options, on_wait=lambda: say(_WAITING), progress=display)
    if not args.quiet:
        _print_problems(report.warnings, sys.stderr, prefix="warning: ")
        warned = f"; {counted(len(report.warnings), 'warning')}" if report.warnings else ""
        print(
            f"built {counted(report.articles, 'article')} into {options.output}: {counted(report.pages, 'page')} "
            f"({report.rendered:,} rendered), {counted(report.parsed, 'article')} parsed, "
            f"{counted(report.written, 'file')} written, "
            f"{report.unchanged:,} unchanged, in {report.seconds:.2f} s{warned}"
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


_WAITING = "another build of this archive is running; waiting for it to finish"


def _print_error(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


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
        what = visible(outcome.changes.describe()) if outcome.changes else "first build"
        if outcome.report is None:
            print(f"{what}: build failed in {outcome.milliseconds:.0f} ms", flush=True)
            for line in outcome.errors:
                print(f"  {visible(line)}", file=sys.stderr, flush=True)
            return
        print(
            f"{what}: {counted(outcome.report.rendered, 'page')} rendered, {counted(outcome.report.written, 'file')} "
            f"written, {outcome.report.removed:,} removed in {outcome.milliseconds:.0f} ms",
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
    hosts = [host for host in ("github_pages", "netlify", "cloudflare") if getattr(args, host)]
    adding = args.folder.exists() and any(args.folder.iterdir())
    created = create_archive(args.folder, hosts)
    if adding:
        for path in created:
            print(f"created {path}")
        return 0
    print(f"created {args.folder}; build it with: sitegen build {args.folder}")
    for path in created[1:]:
        print(f"created {path}")
    return 0


def _run_new(args: argparse.Namespace) -> int:
    topics = [topic.strip() for topic in args.topics.split(",") if topic.strip()]
    # Local time with its offset, to the second: the date the curator sees on the clock.
    now = datetime.now().astimezone().replace(microsecond=0)
    print(create_article(args.root, args.title, list(dict.fromkeys(topics)), now))
    return 0


def _run_import(args: argparse.Namespace) -> int:
    from sitegen.importer import import_pages
    from sitegen.importer.fetch import FetchPolicy
    from sitegen.importer.sources import read_exports, sort_sources
    from sitegen.importer.web import WebImport, import_leads

    topics = [topic.strip() for topic in args.topics.split(",") if topic.strip()]
    stdin_bytes = _read_stdin() if "-" in args.files else None  # at most one byte past the size limit
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
        print(visible(line), file=sys.stderr)
    reports = []
    if sources.pages:
        with progress_display(sys.stderr, quiet=False) as display:
            reports.append(
                import_pages(
                    list(sources.pages),
                    into=args.into,
                    topics=topics,
                    dry_run=args.dry_run,
                    force=args.force,
                    stdin_text=stdin_text,
                    on_progress=CountProgress(display, "import pages") if display is not None else None,
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
            print(f"warning: {visible(line)}", file=sys.stderr)
        for line in report.problems:
            print(visible(line), file=sys.stderr)
        problems += report.problems
        if args.dry_run:
            for text in report.articles:
                sys.stdout.write(visible(text))
        for path in report.written:
            print(path)
    if problems:
        imported = sum(len(report.articles) for report in reports)
        done = "would be imported" if args.dry_run else "imported"
        print(f"{counted(imported, 'article')} {done}; {len(problems)} failed", file=sys.stderr)
    return 1 if problems else 0


def _read_stdin() -> bytes:
    from sitegen.importer.files import MAX_PAGE_BYTES  # read one byte past it, so the limit can be told

    buffer = getattr(sys.stdin, "buffer", None)  # absent when a test hands in a StringIO
    if buffer is not None:
        return bytes(buffer.read(MAX_PAGE_BYTES + 1))
    return sys.stdin.read(MAX_PAGE_BYTES + 1).encode("utf-8", errors="surrogateescape")


def _import_progress() -> Callable[[Any], None] | None:
    """A line per page on a terminal: how far, and how many failed so far."""
    if not sys.stderr.isatty():
        return None

    def show(progress: Any) -> None:
        failed = f", {progress.failures} failed" if progress.failures else ""
        print(f"[{progress.done}/{progress.total}{failed}] {progress.last}", file=sys.stderr, flush=True)

    return show


def _run_search(args: argparse.Namespace) -> int:
    from sitegen.search.query import unknown_fields
    from sitegen.search.snippet import snippet_highlights, snippet_text
    from sitegen.search.whoosh_index import search_archive

    if not args.query.strip():
        args.usage_error("the query is empty; give words to search for, e.g. sitegen search . energy")
    if not args.root.is_dir():
        raise SitegenError(f"{args.root} is not a folder")
    for warning in unknown_fields(args.query):
        print(f"warning: {warning}", file=sys.stderr)

    with progress_display(sys.stderr, quiet=False) as display:
        counter = CountProgress(display, "index for search") if display is not None else None
        results = search_archive(args.root, args.query, limit=args.limit, on_progress=counter)
    _print_problems(results.warnings, sys.stderr, prefix="warning: ")
    for number, hit in enumerate(results.hits, start=1):
        if args.json:
            fields = {"url": hit.url, "link": hit.link, "title": hit.title, "date": hit.date, "score": hit.score}
            found = {"snippet": snippet_text(hit.snippet), "highlights": snippet_highlights(hit.snippet)}
            card = {"authors": [snippet_text(name) for name in hit.authors], "topics": hit.topics, "source": hit.source}
            sections = [
                {"url": f"{hit.url}#{s.anchor}", "link": f"{hit.link}#{s.anchor}", "title": s.title}
                | {"snippet": snippet_text(s.snippet)}
                for s in hit.sections
            ]
            print(_json_line({**fields, **found, **card, "sections": sections}))
            continue
        bold = sys.stdout.isatty()
        mark = (lambda w: f"\033[1m{w}\033[0m") if bold else (lambda w: f"*{w}*")
        print(f"{number}. {visible(hit.title)}\n   {hit.date}  {visible(hit.link)}")
        names = ", ".join(snippet_text(tuple((visible(t), m) for t, m in name), mark) for name in hit.authors)
        byline = [names, visible(", ".join(hit.topics)), visible(hit.source)]
        if any(byline):
            print(f"   {' · '.join(part for part in byline if part)}")
        print(f"   {snippet_text(tuple((visible(text), matched) for text, matched in hit.snippet), mark)}")
        for section in hit.sections:
            print(f"   § {visible(section.title)}  {visible(hit.link)}#{visible(section.anchor)}")
    if not args.json:
        shown = f"{len(results.hits)} of {results.total}" if results.total > len(results.hits) else f"{results.total}"
        print(f"{shown} result{'' if results.total == 1 else 's'} for {visible(args.query)}")
        if results.suggestion:
            print(f"Did you mean: {visible(results.suggestion)}")
    return 0


def _json_line(fields: dict[str, object]) -> str:
    """One JSON object on a line; C1 control characters (which json leaves raw) escaped too."""
    text = json.dumps(fields, ensure_ascii=False)
    return text if text.isprintable() else "".join(_json_escaped(character) for character in text)


def _json_escaped(character: str) -> str:
    return f"\\u{ord(character):04x}" if "\x7f" <= character <= "\x9f" else character


def _print_problems(problems: Sequence[Problem], stream: TextIO, prefix: str = "") -> None:
    for problem in problems:
        where = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
        print(visible(f"{where}: {prefix}{problem.message}"), file=stream)


if __name__ == "__main__":
    sys.exit(main())
