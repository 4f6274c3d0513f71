"""``sitegen search``: whoosh brought up to date from the last build, then queried."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import MakeSite, Run, article, run_subprocess

from sitegen.search.whoosh_index import WhooshUpdate, index_dir, update_whoosh_index

SitegenRun = Callable[..., Run]


def news(make_site: MakeSite) -> Path:
    return make_site(
        {
            "sitegen.yaml": "base_url: https://example.org/news/\n",
            "content/ferry.md": article(
                "Harbour ferry runs on batteries",
                "2024-03-05",
                "The ferries now run on batteries. Charging takes ten minutes at the quay.",
                topics='["Energy"]',
                author='"Mira Castell"',
            ),
            "content/sanctions.md": article(
                "Regulator sanctioned the operator", "2023-02-01", "The operator was sanctioned after two fires."
            ),
            "content/rail.md": article("Rail strike ends", "2022-07-01", "Train drivers voted to end the strike."),
        }
    )


def test_results_show_title_date_link_and_marked_snippet(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = news(make_site)
    assert sitegen("build", cwd=root).code == 0
    run = sitegen("search", "sanctions", cwd=root)
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        "1. Regulator sanctioned the operator",
        "   2023-02-01  https://example.org/news/2023/02/sanctions/",
        "   The operator was *sanctioned* after two fires.",
        "1 result for sanctions",
    ]


def test_json_lines_carry_scores_and_highlight_offsets(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = news(make_site)
    assert sitegen("build", cwd=root).code == 0
    run = sitegen("search", str(root), "batteries OR strike", "--json", cwd=root.parent)
    assert run.code == 0, run.err
    hits = [json.loads(line) for line in run.out.splitlines()]
    assert {hit["url"] for hit in hits} == {"/2024/03/ferry/", "/2022/07/rail/"}
    first = next(hit for hit in hits if hit["url"] == "/2024/03/ferry/")
    assert set(first) == {"url", "link", "title", "date", "score", "snippet", "highlights"} | {
        "authors",
        "topics",
        "source",
        "sections",
    }
    assert (first["authors"], first["topics"], first["source"], first["sections"]) == (
        ["Mira Castell"],
        ["Energy"],
        "",
        [],
    )
    assert [first["snippet"][a:b] for a, b in first["highlights"]] == ["batteries"]
    assert hits[0]["score"] >= hits[1]["score"] > 0


def test_query_syntax(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = news(make_site)
    assert sitegen("build", cwd=root).code == 0

    def urls(query: str) -> list[str]:
        run = sitegen("search", query, "--json", cwd=root)
        assert run.code == 0, run.err
        return [json.loads(line)["url"] for line in run.out.splitlines()]

    assert urls('"ferries now run"') == ["/2024/03/ferry/"]
    assert urls('"run ferries"') == []
    assert urls("topic:energy") == ["/2024/03/ferry/"]
    assert urls("author:castell") == ["/2024/03/ferry/"]
    assert urls("date:[2022 TO 2023] NOT strike") == ["/2023/02/sanctions/"]
    assert urls("op*") == ["/2023/02/sanctions/"]
    assert urls("title:operator OR title:strike") == ["/2023/02/sanctions/", "/2022/07/rail/"]


def test_hostile_queries_give_results_or_nothing(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = news(make_site)
    assert sitegen("build", cwd=root).code == 0
    for query in ['"unbalanced', "OR", "NOT", ")(", "x" * 10_000, "<script>", ".*[", "ферри", "date:[x TO"]:
        run = sitegen("search", query, cwd=root)
        assert run.code == 0, (query, run.err)
        assert run.err == ""


def test_only_changed_articles_are_reindexed(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = news(make_site)
    assert sitegen("build", cwd=root).code == 0
    assert update_whoosh_index(root) == WhooshUpdate(added=3, removed=0, rebuilt=True)
    assert update_whoosh_index(root) == WhooshUpdate(added=0, removed=0, rebuilt=False)
    (root / "content/rail.md").write_text(
        article("Rail strike ends", "2022-07-01", "Drivers accepted the zeppelin deal.")
    )
    (root / "content/sanctions.md").unlink()
    assert sitegen("build", cwd=root).code == 0
    assert update_whoosh_index(root) == WhooshUpdate(added=1, removed=2, rebuilt=False)
    assert sitegen("search", "zeppelin", cwd=root).out.startswith("1. Rail strike ends\n")
    assert sitegen("search", "sanctioned", cwd=root).out == "0 results for sanctioned\n"


def test_a_damaged_index_is_rebuilt_with_a_warning(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = news(make_site)
    assert sitegen("build", cwd=root).code == 0
    assert sitegen("search", "ferry", cwd=root).code == 0
    for path in index_dir(root).glob("*.seg"):
        path.write_bytes(b"\x00" * 64)
    for path in index_dir(root).glob("_articles_*.toc"):
        path.write_bytes(b"garbage")
    run = sitegen("search", "ferry", cwd=root)
    assert run.code == 0
    assert run.err == (
        ".sitegen/search/whoosh: warning: the search index does not match its seal (damaged, or not written by "
        "this user's sitegen); rebuilding it\n"
    )
    assert run.out.startswith("1. Harbour ferry runs on batteries\n")


def test_searching_before_any_build_says_what_to_do(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = news(make_site)
    run = sitegen("search", "ferry", cwd=root)
    assert run.code == 1
    assert run.err == "sitegen: . has no search index yet; build it first: sitegen build .\n"
    assert not (root / ".sitegen/search").exists()


def test_an_unknown_field_warns_with_the_known_ones(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = news(make_site)
    assert sitegen("build", cwd=root).code == 0
    run = sitegen("search", "topc:energy", cwd=root)
    assert run.code == 0
    assert run.err.splitlines() == [
        "warning: unknown field 'topc' in topc:energy; did you mean 'topic'? "
        "(known fields: title, summary, body, topic, tag, author, source, date)"
    ]
    assert run.out.splitlines() == ["0 results for topc:energy"]
    assert sitegen("search", "topic:energy", cwd=root).err == ""


def test_an_empty_query_is_a_usage_error(make_site: MakeSite, sitegen: SitegenRun) -> None:
    root = news(make_site)
    run = sitegen("search", "  ", cwd=root)
    assert run.code == 2
    assert run.err.splitlines()[-1] == (
        "sitegen search: error: the query is empty; give words to search for, e.g. sitegen search . energy"
    )


def test_output_into_a_pipe_closed_early_ends_quietly(make_site: MakeSite) -> None:
    # Far more output than a pipe holds, so the writer meets the closed pipe for certain.
    long_title = "Harbour ferry " + "and its batteries " * 200
    root = make_site({f"content/f{n:02}.md": article(f"{long_title}{n}", "2024-03-05") for n in range(60)})
    assert run_subprocess("build", cwd=root).returncode == 0
    command = [sys.executable, "-m", "sitegen", "search", "ferry", "-n", "60", "--json"]
    assert subprocess.run(command, cwd=root, capture_output=True, check=False).returncode == 0  # indexes them
    searcher = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    head = subprocess.Popen(["head", "-1"], stdin=searcher.stdout, stdout=subprocess.PIPE)
    assert searcher.stdout is not None and searcher.stderr is not None
    searcher.stdout.close()  # head holds the only reading end now
    first, _ = head.communicate(timeout=120)
    code = searcher.wait(timeout=120)
    assert json.loads(first)["title"].startswith("Harbour ferry")
    assert searcher.stderr.read().decode() == ""
    assert code == 0
