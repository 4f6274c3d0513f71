"""The build as a list of steps, each handing its result to the next.

    sitegen.yaml -> config -> discovered files -> loaded articles -> site -> related lists
    -> page plan -> feeds, exports -> rendered pages -> search index -> output plan -> write

The search index is started as soon as the site is known and collected after rendering:
it runs in a child process meanwhile. Nothing is written to the output folder until every
step before the write has succeeded, so a failed build leaves the previous site as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.build.context import Run
from sitegen.build.steps.assemble import Assembled, RelatedLists, assemble, relate
from sitegen.build.steps.generated import exports, feeds
from sitegen.build.steps.outputs import PlannedOutputs, check_strict, plan_outputs, write
from sitegen.build.steps.pages import RenderedPages, plan, render
from sitegen.build.steps.search import collect_search_index, start_search_index
from sitegen.build.steps.sources import LoadedArticles, discover_files, load_articles, read_config
from sitegen.config import Config
from sitegen.content.discover import Discovery
from sitegen.output import WriteResult

# The steps in order, as the progress display and the timings name them.
STEP_NAMES = (
    "config",
    "discover",
    "load articles",
    "assemble",
    "start search index",
    "related articles",
    "plan pages",
    "feeds and sitemap",
    "exports",
    "render",
    "search index",
    "plan outputs",
    "strict check",
    "write",
)


@dataclass(frozen=True)
class Built:
    """What every step made: the engine saves it in the cache and keeps it for the next build."""

    config: Config
    discovery: Discovery
    loaded: LoadedArticles
    assembled: Assembled
    related: RelatedLists
    pages: RenderedPages
    outputs: PlannedOutputs
    written: WriteResult


def run_pipeline(run: Run) -> Built:
    """Run every step in order; raise a SitegenError (and write nothing) on bad input."""
    config = run.timed("config", read_config, run)
    discovery = run.timed("discover", discover_files, run)
    loaded = run.timed("load articles", load_articles, run, config, discovery)
    assembled = run.timed("assemble", assemble, run, config, discovery, loaded)
    run.timed("start search index", start_search_index, run, assembled)
    related = run.timed("related articles", relate, run, assembled, loaded)
    planned = run.timed("plan pages", plan, run, config, assembled, related)
    # Before the render, while the search index's child works: made after it, these steps
    # would lengthen the build's tail, when only this process has anything left to do.
    generated = run.timed("feeds and sitemap", feeds, run, config, assembled, planned)
    generated.update(run.timed("exports", exports, run, config, assembled, planned))
    pages = run.timed("render", render, run, config, assembled, related, planned)
    search = run.timed("search index", collect_search_index, run)
    outputs = run.timed("plan outputs", plan_outputs, run, config, discovery, assembled, pages, generated, search)
    run.timed("strict check", check_strict, run)
    written = run.timed("write", write, run, outputs)
    return Built(config, discovery, loaded, assembled, related, pages, outputs, written)
