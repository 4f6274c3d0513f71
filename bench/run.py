"""The sitegen benchmark: build a synthetic archive and print one figure per line.

    python bench/run.py --articles 10000 [--seed 1] [--keep DIR | --corpus DIR] [--compare]

Every figure is printed as ``name: value unit`` (or ``name: n/a (reason)``), so the output of
two runs can be compared line by line. The figures come in groups; each group is a function
in GROUPS that yields Figures, and later groups may use what earlier ones stored in
``Bench.results``. Progress and diagnostics go to standard error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus import corpus_vocabulary, generate_corpus

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CHILD = BENCH_DIR / "_child.py"
# Folders under an archive that hold build caches; removed before the cold build.
CACHE_DIRS = (".sitegen",)
NOT_YET = "not implemented yet"


class BenchError(Exception):
    """A step of the benchmark failed; the message says which and why."""


@dataclass(frozen=True)
class Figure:
    """One printed figure; ``value`` None means not available, for the reason in ``note``."""

    name: str
    value: float | int | str | None
    unit: str = ""
    digits: int = 2
    note: str = ""

    def line(self) -> str:
        """The figure as ``name: value unit``."""
        if self.value is None:
            return f"{self.name}: n/a ({self.note})"
        text = f"{self.value:.{self.digits}f}" if isinstance(self.value, float) else str(self.value)
        return f"{self.name}: {text} {self.unit}".rstrip()


def not_available(name: str, reason: str = NOT_YET) -> Figure:
    """A placeholder that keeps the shape of the output stable."""
    return Figure(name, None, note=reason)


@dataclass(frozen=True)
class Run:
    """What one measured child process did."""

    wall: float
    cpu: float  # user + system seconds of the child (and of children it waited for)
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Bench:
    """The benchmark's settings, folders, and the results groups hand on to later groups."""

    args: argparse.Namespace
    work: Path
    corpus: Path
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def out(self) -> Path:
        """Where sitegen writes the site."""
        return self.work / "out"

    @property
    def logs(self) -> Path:
        """Where children's output and timings go."""
        path = self.work / "logs"
        path.mkdir(parents=True, exist_ok=True)
        return path


# ext4 will not reuse the inode of a file deleted in the last 30-35 s (dirty_expire_centisecs,
# plus 5 s), and it finds a free one by stepping over each of those: a build that creates
# 30,000 files just after 30,000 were removed spent 10-30 s of system time on it (perf:
# find_inode_bit, recently_deleted), and how much varied from run to run. A timed command
# therefore starts once the last removal this script made is out of that window.
_RECENTLY_DELETED_S = 36.0
_last_removal = -_RECENTLY_DELETED_S


def remove_tree(path: Path) -> None:
    """``shutil.rmtree``, noting when, so that ``measure`` waits until ext4 forgets the removed files."""
    global _last_removal
    if path.exists():
        shutil.rmtree(path, ignore_errors=True)
        _last_removal = time.monotonic()


def measure(command: Sequence[str | Path], *, cwd: Path, log: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` and return its wall time, CPU time and peak RSS, from ``os.wait4``."""
    stdout_path, stderr_path = log.with_suffix(".out"), log.with_suffix(".err")
    # Start with nothing of an earlier run waiting to be written (a removed or written
    # 300 MB site): the kernel would write it back during this one, and bill this one.
    os.sync()
    time.sleep(max(0.0, _last_removal + _RECENTLY_DELETED_S - time.monotonic()))
    with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen([str(part) for part in command], cwd=cwd, env=env, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # already reaped; tell Popen so
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,  # KB on Linux
        returncode=process.returncode,
        stdout=stdout_path.read_text(encoding="utf-8", errors="replace"),
        stderr=stderr_path.read_text(encoding="utf-8", errors="replace"),
    )


def _sitegen_env() -> dict[str, str]:
    """The environment for a child that imports sitegen from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def _build(bench: Bench, name: str, *, out: Path | None = None, jobs: int | None = None) -> tuple[Run, dict[str, Any]]:
    """One sitegen build of the corpus into ``out`` (default ``bench.out``), with its step timings."""
    timings = bench.logs / f"{name}.json"
    timings.unlink(missing_ok=True)
    run = measure(
        [sys.executable, CHILD, bench.corpus, out or bench.out, timings, *([] if jobs is None else [str(jobs)])],
        cwd=bench.work,
        log=bench.logs / name,
        env=_sitegen_env(),
    )
    if run.returncode != 0:
        raise BenchError(f"the {name} build failed (exit {run.returncode}):\n{run.stderr.strip()}")
    return run, json.loads(timings.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class _Entry:
    mtime_ns: int
    digest: bytes


def snapshot(tree: Path) -> dict[str, _Entry]:
    """Every file under ``tree`` with its mtime and a digest of its bytes."""
    entries: dict[str, _Entry] = {}
    for folder, _, files in os.walk(tree):
        for name in files:
            path = Path(folder, name)
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
            entries[path.relative_to(tree).as_posix()] = _Entry(path.stat().st_mtime_ns, digest)
    return entries


def _tree_size_mb(tree: Path) -> float:
    return sum(p.stat().st_size for p in tree.rglob("*") if p.is_file()) / 1e6


# --- figure groups -------------------------------------------------------------------------


def corpus_figures(bench: Bench) -> Iterator[Figure]:
    """Make (or reuse) the corpus and describe it."""
    marker = bench.work / "corpus.json"
    wanted = {"articles": bench.args.articles, "seed": bench.args.seed}
    if bench.args.corpus is not None:
        yield not_available("corpus generation wall", f"using {bench.args.corpus}")
    elif marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == wanted and bench.corpus.is_dir():
        yield not_available("corpus generation wall", f"reused {bench.corpus}")
    else:
        if bench.corpus.exists():
            if not marker.is_file():
                raise BenchError(f"{bench.corpus} exists but was not made by run.py; pick another --keep folder")
            remove_tree(bench.corpus)
        print(f"generating {bench.args.articles} articles into {bench.corpus}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        generate_corpus(bench.corpus, bench.args.articles, bench.args.seed)
        yield Figure("corpus generation wall", time.perf_counter() - started, "s")
        marker.write_text(json.dumps(wanted), encoding="utf-8")
    articles = sum(1 for _ in (bench.corpus / "content").rglob("*.md"))
    bench.results["corpus articles"] = articles
    yield Figure("corpus articles", articles)
    yield Figure("corpus size", _tree_size_mb(bench.corpus / "content"), "MB", digits=1)


def cold_build_figures(bench: Bench) -> Iterator[Figure]:
    """A build with no cache into an empty output folder."""
    for cache in CACHE_DIRS:
        remove_tree(bench.corpus / cache)
    remove_tree(bench.out)
    print("cold build", file=sys.stderr, flush=True)
    run, report = _build(bench, "cold")
    bench.results["cold wall"] = run.wall
    yield Figure("cold build wall", run.wall, "s")
    yield Figure("cold build CPU", run.cpu, "s")
    yield Figure("cold build peak RSS", run.peak_rss_mb, "MB", digits=0)
    yield Figure("cold build articles/s", report["articles"] / run.wall, "articles/s", digits=0)
    yield Figure("cold build articles built", report["articles"])
    yield Figure("cold build pages", report["pages"])
    yield Figure("cold build warnings", report["warnings"])
    yield Figure("cold build output size", _tree_size_mb(bench.out), "MB", digits=1)
    yield Figure("cold startup and imports", run.wall - report["seconds"], "s")
    yield Figure("cold build outside steps", report["seconds"] - sum(s for _, s in report["steps"]), "s")
    for name, seconds in report["steps"]:
        yield Figure(f"cold step {name}", seconds, "s")


def jobs_figures(bench: Bench) -> Iterator[Figure]:
    """The cold build again with ``--jobs 1``, beside the cold build on every core."""
    cache, aside = bench.corpus / ".sitegen", bench.corpus / ".sitegen-all-jobs"
    out = bench.work / "out-1-job"
    remove_tree(out)
    print("cold build, 1 job", file=sys.stderr, flush=True)
    os.replace(cache, aside)  # the all-jobs build's cache, kept for the warm build
    try:
        run, _ = _build(bench, "cold-1-job", out=out, jobs=1)
    finally:
        shutil.rmtree(cache, ignore_errors=True)  # a few files, not the many remove_tree waits out
        os.replace(aside, cache)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    yield Figure("cold build wall, 1 job", run.wall, "s")
    yield Figure("cold build CPU, 1 job", run.cpu, "s")
    yield Figure("cold build wall, all jobs", bench.results["cold wall"], "s")
    yield Figure("cold build jobs (cores)", cores)
    yield Figure("cold build speed-up, all jobs over 1 job", run.wall / bench.results["cold wall"])


def warm_build_figures(bench: Bench) -> Iterator[Figure]:
    """A second build with nothing changed: how fast, and does it leave the site as it was?"""
    before = snapshot(bench.out)
    print("warm build", file=sys.stderr, flush=True)
    run, report = _build(bench, "warm")
    after = snapshot(bench.out)
    same = before.keys() == after.keys() and all(before[k].digest == after[k].digest for k in before)
    rewritten = sum(1 for key, entry in after.items() if key not in before or before[key].mtime_ns != entry.mtime_ns)
    yield Figure("warm build wall", run.wall, "s")
    yield Figure("warm build CPU", run.cpu, "s")
    yield Figure("warm build peak RSS", run.peak_rss_mb, "MB", digits=0)
    yield Figure("warm/cold wall ratio", run.wall / bench.results["cold wall"])
    yield Figure("warm == cold output", "yes" if same else "no")
    yield Figure("warm build files rewritten", rewritten)
    yield Figure("warm build pages rendered", report["rendered"])
    for name, seconds in report["steps"]:
        yield Figure(f"warm step {name}", seconds, "s")
    yield Figure("output files", len(after))


def failed_build_figures(bench: Bench) -> Iterator[Figure]:
    """One article broken, a build that fails on it, then the build once it is fixed.

    The fixed build should parse that one file: the failed one kept the other articles' work.
    The article is put back as it was afterwards, and the site rebuilt, for the groups after.
    """
    articles = sorted((bench.corpus / "content").rglob("*.md"))
    victim = articles[len(articles) // 2]
    original = victim.read_bytes()
    print(f"a build failing on {victim.name}, then the build once it is fixed", file=sys.stderr, flush=True)
    try:
        victim.write_bytes(b"---\ntitle: an article whose front matter is never closed\n")
        failed = measure(
            [sys.executable, CHILD, bench.corpus, bench.out, bench.logs / "failed.json"],
            cwd=bench.work,
            log=bench.logs / "failed",
            env=_sitegen_env(),
        )
        if failed.returncode != 1:
            raise BenchError(f"the build of a broken article did not fail (exit {failed.returncode})")
        victim.write_bytes(original + b"\nA sentence added once the front matter was fixed.\n")
        run, report = _build(bench, "fixed")
    finally:
        victim.write_bytes(original)
    yield Figure("failed build wall", failed.wall, "s")
    yield Figure("edit after failed build wall", run.wall, "s")
    yield Figure("edit after failed build / cold build", run.wall / bench.results["cold wall"])
    yield Figure("edit after failed build articles parsed", report["parsed"])
    _build(bench, "restored")


def edit_figures(bench: Bench) -> Iterator[Figure]:
    """One article edited, then ``sitegen build``: the command-line path of an edit.

    The edit adds a sentence and words the corpus does not use elsewhere, so that the
    article's telling terms, related lists and search postings all change. The article is
    put back as it was afterwards, and the site rebuilt, for the groups after.
    """
    articles = sorted((bench.corpus / "content").rglob("*.md"))
    victim = articles[len(articles) // 3]
    original = victim.read_bytes()
    before = snapshot(bench.out)
    print(f"one article edited ({victim.name}), then sitegen build", file=sys.stderr, flush=True)
    try:
        edited = original + b"\nA lighthouse keeper logged quarzite, quarzite and more quarzite that winter.\n"
        victim.write_bytes(edited)
        run, report = _build(bench, "edit")
        after = snapshot(bench.out)
    finally:
        victim.write_bytes(original)
    rewritten = sum(1 for key, entry in after.items() if key not in before or before[key].mtime_ns != entry.mtime_ns)
    changed = sum(1 for key, entry in after.items() if key not in before or before[key].digest != entry.digest)
    yield Figure("edit build wall", run.wall, "s")
    yield Figure("edit build CPU", run.cpu, "s")
    yield Figure("edit build peak RSS", run.peak_rss_mb, "MB", digits=0)
    yield Figure("edit build / cold build", run.wall / bench.results["cold wall"])
    yield Figure("edit build pages rendered", report["rendered"])
    yield Figure("edit build articles parsed", report["parsed"])
    yield Figure("edit build files changed", changed)
    yield Figure("edit build files rewritten", rewritten)
    for name, seconds in report["steps"]:
        yield Figure(f"edit step {name}", seconds, "s")
    _build(bench, "edit-restored")


def incremental_figures(bench: Bench) -> Iterator[Figure]:
    """Rebuilds through the preview server's code path after one article, then one template, is edited."""
    print("incremental rebuilds (serve path)", file=sys.stderr, flush=True)
    run, result = _run_child(bench, "_serve_child.py", "serve", "the serve-path rebuilds")
    cold = bench.results["cold wall"]
    yield Figure("serve first build wall", result["first build"], "s")
    yield Figure("incremental one-article edit median", result["edit median"] * 1000, "ms", digits=0)
    yield Figure("incremental one-article edit max", result["edit max"] * 1000, "ms", digits=0)
    yield Figure("incremental one-article edit files written", result["edit files written"], digits=0)
    yield Figure("incremental one-article edit pages rendered", result["edit pages rendered"], digits=0)
    yield Figure("incremental template edit (article.html) wall", result["template seconds"], "s")
    yield Figure("incremental template edit pages rendered", result["template pages rendered"])
    yield Figure("incremental template edit / cold build", result["template seconds"] / cold)
    yield Figure("serve process peak RSS", run.peak_rss_mb, "MB", digits=0)


def _run_child(bench: Bench, script: str, name: str, what: str, *args: str | Path) -> tuple[Run, Any]:
    """Run a child script on the corpus (its last argument: where it writes its JSON result)."""
    result_file = bench.logs / f"{name}.json"
    run = measure(
        [sys.executable, BENCH_DIR / script, bench.corpus, *args, result_file],
        cwd=REPO,
        log=bench.logs / name,
        env=_sitegen_env(),
    )
    if run.returncode != 0:
        raise BenchError(f"{what} failed: {_last_line(run.stderr)}")
    return run, json.loads(result_file.read_text(encoding="utf-8"))


def search_queries(seed: int) -> tuple[list[str], list[str]]:
    """Fixed one- and two-word queries over the corpus's content words, common to rare.

    The words are taken by their rank in the corpus's Zipf vocabulary, so the same seed
    gives the same queries whatever the number of articles. The first ten of each list
    are the twenty queries whose downloads are measured; all fifty are asked of whoosh too.
    """
    words = corpus_vocabulary(seed).content_words
    one = [words[rank] for rank in (0, 1, 3, 8, 20, 50, 120, 300, 800, 2000)]
    one += [words[rank] for rank in (2, 5, 13, 33, 80, 200, 500, 1200, 4000, 7000, 10000, 13000, 16000, 19000, 6)]
    pairs = [(0, 2), (1, 9), (4, 40), (6, 100), (12, 250), (25, 600), (60, 1500), (150, 3000), (400, 5000)]
    pairs += [(1000, 10000), (0, 1), (2, 3), (3, 30), (5, 5000), (7, 70), (10, 11), (15, 1500), (30, 300)]
    pairs += [(45, 4500), (90, 900), (200, 201), (350, 12000), (700, 7000), (2500, 2600), (9, 19000)]
    two = [f"{words[a]} {words[b]}" for a, b in pairs]
    return one, two


def search_figures(bench: Bench) -> Iterator[Figure]:
    """The static index's size, the bytes and time of fixed queries, and agreement with whoosh."""
    files = [path for path in (bench.out / "search").rglob("*") if path.is_file()]
    yield Figure("search index size", sum(path.stat().st_size for path in files) / 1e6, "MB", digits=1)
    yield Figure("search index files", len(files))
    if shutil.which("node") is None:
        yield from _unavailable(SEARCH_QUERY_FIGURES, "node is not installed")
        return
    one, two = search_queries(bench.args.seed)
    queries_file = bench.logs / "queries.json"
    queries_file.write_text(json.dumps(one + two), encoding="utf-8")
    print("search: whoosh index and 50 queries", file=sys.stderr, flush=True)
    whoosh = "no" if bench.args.no_whoosh else "yes"
    _, result = _run_child(bench, "_search_child.py", "search", "the search queries", bench.out, queries_file, whoosh)
    static = result["static"]
    errors = [done["query"] for done in static if done["error"]]
    if errors:
        raise BenchError(f"the static client failed on {errors}")
    fixed = result["library bytes"] + result["setup bytes"]
    yield Figure("search client and metadata", fixed / 1000, "kB", digits=1)
    for name, answered in (("one-word", static[:10]), ("two-word", static[len(one) : len(one) + 10])):
        downloads = [(fixed + done["bytes"]) / 1000 for done in answered]
        yield Figure(f"search {name} query download median", statistics.median(downloads), "kB", digits=1)
        yield Figure(f"search {name} query download max", max(downloads), "kB", digits=1)
    warm = [done["warm ms"] for done in static]
    yield Figure("search query time, shards loaded, median", statistics.median(warm), "ms", digits=1)
    yield Figure("search query time, shards loaded, max", max(warm), "ms", digits=1)
    yield Figure("search hostile query parse max", result["hostile parse seconds"] * 1000, "ms", digits=1)
    if result["whoosh"] is None:
        yield from _unavailable(SEARCH_QUERY_FIGURES[-5:], "skipped with --no-whoosh")
        return
    overlaps = [_overlap(done["urls"], whoosh) for done, whoosh in zip(static, result["whoosh"], strict=True)]
    yield Figure("whoosh index update (first) wall", result["whoosh update seconds"], "s")
    yield Figure("whoosh query median", statistics.median(result["whoosh query seconds"]) * 1000, "ms", digits=0)
    yield Figure("search queries compared with whoosh", len(overlaps))
    yield Figure("search top-10 agreement with whoosh mean", statistics.mean(overlaps), "of 10")
    yield Figure("search top-10 agreement with whoosh min", min(overlaps), "of 10", digits=1)


SEARCH_QUERY_FIGURES = (
    "search client and metadata",
    "search one-word query download median",
    "search one-word query download max",
    "search two-word query download median",
    "search two-word query download max",
    "search query time, shards loaded, median",
    "search query time, shards loaded, max",
    "whoosh index update (first) wall",
    "whoosh query median",
    "search queries compared with whoosh",
    "search top-10 agreement with whoosh mean",
    "search top-10 agreement with whoosh min",
)


def _overlap(static: list[str], whoosh: list[str]) -> float:
    """How many of their top ten the two engines share, out of ten (10 when both find nothing)."""
    if not static and not whoosh:
        return 10.0
    return 10 * len(set(static) & set(whoosh)) / max(len(static), len(whoosh))


def compare_figures(bench: Bench) -> Iterator[Figure]:
    """The same corpus built by Pelican, and by Hugo with a Pagefind index (with --compare)."""
    if not bench.args.compare:
        for name in COMPARE_FIGURES:
            yield not_available(name, "run with --compare")
        return
    tools = bench.work / "compare"
    print("installing Pelican, Hugo and Pagefind", file=sys.stderr, flush=True)
    python, failures = _install_tools(tools / "venv")
    yield Figure("compare tools", _tool_versions(python) if python else "none", "")
    sitegen_wall = bench.results["cold wall"]
    if "pelican" in failures:
        yield from _unavailable(PELICAN_FIGURES, failures["pelican"])
    else:
        yield from _pelican_figures(tools, bench.corpus, sitegen_wall)
    if "hugo" in failures or "pagefind" in failures:
        yield from _unavailable(HUGO_FIGURES + PAGEFIND_FIGURES, failures.get("hugo") or failures["pagefind"])
    else:
        yield from _hugo_figures(tools, bench.corpus, sitegen_wall)


PELICAN_FIGURES = ("pelican build wall", "pelican build peak RSS", "sitegen/pelican wall ratio")
HUGO_FIGURES = ("hugo build wall", "hugo build peak RSS")
PAGEFIND_FIGURES = (
    "pagefind index wall",
    "pagefind index peak RSS",
    "hugo+pagefind wall",
    "sitegen/(hugo+pagefind) wall ratio",
)
COMPARE_FIGURES = ("compare tools", *PELICAN_FIGURES, *HUGO_FIGURES, *PAGEFIND_FIGURES)
_TOOL_PACKAGES = {"pelican": "pelican[markdown]", "hugo": "hugo", "pagefind": "pagefind[bin]"}


def _unavailable(names: Sequence[str], reason: str) -> Iterator[Figure]:
    for name in names:
        yield not_available(name, reason)


def _install_tools(venv: Path) -> tuple[Path | None, dict[str, str]]:
    """A virtualenv with the other generators; returns its python and why any tool failed."""
    python = venv / "bin" / "python"
    if not python.exists():
        made = subprocess.run([sys.executable, "-m", "venv", venv], capture_output=True, text=True, check=False)
        if made.returncode != 0:
            reason = f"cannot make a virtualenv: {_last_line(made.stderr)}"
            return None, dict.fromkeys(_TOOL_PACKAGES, reason)
    failures: dict[str, str] = {}
    for tool, package in _TOOL_PACKAGES.items():
        command = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", package]
        installed = subprocess.run(command, capture_output=True, text=True, check=False)
        if installed.returncode != 0:
            failures[tool] = f"pip install {package} failed: {_last_line(installed.stderr)}"
    return python, failures


def _failed(tool: str, run: Run) -> str:
    return f"{tool} failed with exit {run.returncode}: {_last_line(run.stderr + run.stdout)}"


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _tool_versions(python: Path) -> str:
    listed = subprocess.run(
        [python, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=False,
    )
    versions = {p["name"].lower(): p["version"] for p in json.loads(listed.stdout or "[]")}
    return ", ".join(f"{tool} {versions[tool]}" for tool in _TOOL_PACKAGES if tool in versions)


def _read_article(path: Path) -> tuple[dict[str, Any], str]:
    """Front matter as plain strings and lists (YAML's base loader), and the Markdown body."""
    import yaml

    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.load(head, Loader=yaml.BaseLoader)  # the base loader builds only str, list and dict
    return data, body


def _names(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _convert(corpus: Path, target: Path, write: Callable[[Path, dict[str, Any], str], str]) -> None:
    """Copy every article of ``corpus`` into ``target`` with its front matter rewritten by ``write``."""
    remove_tree(target)
    for source in sorted((corpus / "content").rglob("*.md")):
        data, body = _read_article(source)
        destination = target / source.relative_to(corpus / "content")
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(write(source, data, body), encoding="utf-8")


def _pelican_article(source: Path, data: dict[str, Any], body: str) -> str:
    """Pelican's Markdown reader takes ``Key: value`` lines before the body."""
    fields = {
        "Title": data.get("title"),
        "Date": data.get("date"),
        "Modified": data.get("updated"),
        "Category": (_names(data.get("topics")) or [None])[0],
        "Tags": ", ".join(_names(data.get("tags"))) or None,
        "Authors": ", ".join(_names(data.get("author"))) or None,
        "Summary": data.get("summary"),
        "Slug": source.stem,
    }
    head = "".join(f"{key}: {' '.join(str(value).split())}\n" for key, value in fields.items() if value)
    return head + "\n" + body


_PELICAN_CONF = """\
AUTHOR = "bench"
SITENAME = "Benchmark archive"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
RELATIVE_URLS = True
LOAD_CONTENT_CACHE = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
"""


def _pelican_figures(tools: Path, corpus: Path, sitegen_wall: float) -> Iterator[Figure]:
    site = tools / "pelican"
    _convert(corpus, site / "content", _pelican_article)
    (site / "pelicanconf.py").write_text(_PELICAN_CONF, encoding="utf-8")
    remove_tree(site / "out")
    print("pelican build", file=sys.stderr, flush=True)
    pelican = tools / "venv" / "bin" / "pelican"
    run = measure([pelican, "content", "-o", "out", "-s", "pelicanconf.py", "-q"], cwd=site, log=tools / "pelican")
    if run.returncode != 0:
        yield from _unavailable(PELICAN_FIGURES, _failed("pelican", run))
        return
    yield Figure("pelican build wall", run.wall, "s")
    yield Figure("pelican build peak RSS", run.peak_rss_mb, "MB", digits=0)
    yield Figure("sitegen/pelican wall ratio", sitegen_wall / run.wall)


def _hugo_article(source: Path, data: dict[str, Any], body: str) -> str:
    """Hugo reads YAML front matter; authors and sources become taxonomies like topics and tags."""
    fields = {
        "title": data.get("title"),
        "date": data.get("date"),
        "lastmod": data.get("updated"),
        "slug": source.stem,
        "authors": _names(data.get("author")),
        "sources": _names(data.get("source")),
        "topics": _names(data.get("topics")),
        "tags": _names(data.get("tags")),
        "summary": data.get("summary"),
    }
    head = "".join(f"{key}: {json.dumps(value)}\n" for key, value in fields.items() if value)
    return f"---\n{head}---\n{body}"


_HUGO_CONFIG = """\
baseURL = "https://bench.example/"
title = "Benchmark archive"
disableKinds = ["rss", "sitemap", "robotstxt"]
[pagination]
  pagerSize = 20
[taxonomies]
  tag = "tags"
  topic = "topics"
  author = "authors"
  source = "sources"
[permalinks]
  posts = "/:year/:month/:slug/"
"""
_HUGO_LAYOUTS = {
    "baseof.html": (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title>'
        '</head><body><header><a href="/">{{ site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main>'
        "</body></html>\n"
    ),
    "single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}'
        '{{ with .Params.authors }} by {{ delimit . ", " }}{{ end }}</p>{{ .Content }}'
        '<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>'
        "</article>{{ end }}\n"
    ),
    "list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pager := .Paginate (cond .IsHome site.RegularPages .Pages) }}'
        '{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></h2>'
        "<p>{{ .Summary }}</p></article>{{ end }}"
        '{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}{{ end }}\n'
    ),
}


def _hugo_figures(tools: Path, corpus: Path, sitegen_wall: float) -> Iterator[Figure]:
    site = tools / "hugo"
    _convert(corpus, site / "content" / "posts", _hugo_article)
    (site / "hugo.toml").write_text(_HUGO_CONFIG, encoding="utf-8")
    for name, text in _HUGO_LAYOUTS.items():
        (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
        (site / "layouts" / "_default" / name).write_text(text, encoding="utf-8")
    remove_tree(site / "public")
    print("hugo build and pagefind index", file=sys.stderr, flush=True)
    venv = tools / "venv" / "bin"
    hugo = measure([venv / "hugo", "--quiet"], cwd=site, log=tools / "hugo")
    if hugo.returncode != 0:
        yield from _unavailable(HUGO_FIGURES + PAGEFIND_FIGURES, _failed("hugo", hugo))
        return
    yield Figure("hugo build wall", hugo.wall, "s")
    yield Figure("hugo build peak RSS", hugo.peak_rss_mb, "MB", digits=0)
    pagefind = measure([venv / "python", "-m", "pagefind", "--site", "public"], cwd=site, log=tools / "pagefind")
    if pagefind.returncode != 0:
        yield from _unavailable(PAGEFIND_FIGURES, _failed("pagefind", pagefind))
        return
    both = hugo.wall + pagefind.wall
    yield Figure("pagefind index wall", pagefind.wall, "s")
    yield Figure("pagefind index peak RSS", pagefind.peak_rss_mb, "MB", digits=0)
    yield Figure("hugo+pagefind wall", both, "s")
    yield Figure("sitegen/(hugo+pagefind) wall ratio", sitegen_wall / both)


FigureGroup = Callable[[Bench], Iterator[Figure]]
GROUPS: dict[str, FigureGroup] = {
    "corpus": corpus_figures,
    "cold": cold_build_figures,
    "jobs": jobs_figures,
    "warm": warm_build_figures,
    "edit": edit_figures,
    "failed": failed_build_figures,
    "search": search_figures,
    "incremental": incremental_figures,
    "compare": compare_figures,
}


def main(argv: list[str] | None = None) -> int:
    """Run every figure group in order, printing each figure as soon as it is known."""
    args = _parse(argv)
    work = args.keep.absolute() if args.keep else Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus.absolute() if args.corpus else work / "corpus"
    bench = Bench(args=args, work=work, corpus=corpus)
    try:
        for name, group in GROUPS.items():
            if args.only and name not in args.only and name != "corpus":
                continue
            for figure in group(bench):
                print(figure.line(), flush=True)
    except BenchError as error:
        print(f"run.py: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark sitegen on a synthetic archive.")
    parser.add_argument("--articles", type=int, default=10_000, help="articles to generate (default: 10000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--keep", type=Path, help="work in DIR and keep it; a matching corpus there is reused")
    where.add_argument("--corpus", type=Path, help="benchmark an existing archive (sitegen.yaml, content/)")
    parser.add_argument("--compare", action="store_true", help="also build with Pelican and Hugo+Pagefind")
    parser.add_argument(
        "--only",
        type=lambda text: [name.strip() for name in text.split(",") if name.strip()],
        default=[],
        help=f"run only these figure groups, comma-separated, in order (of: {', '.join(GROUPS)}); "
        "later groups need cold",
    )
    parser.add_argument("--no-whoosh", action="store_true", help="skip the whoosh comparison (slow at 100,000)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.only if name not in GROUPS]
    if unknown:
        parser.error(f"no figure group {', '.join(unknown)}; the groups are {', '.join(GROUPS)}")
    if args.corpus is not None and not (args.corpus / "content").is_dir():
        parser.error(f"{args.corpus} has no content/ folder")
    return args


if __name__ == "__main__":
    sys.exit(main())
