"""The build: an incremental engine (``engine``) running a pipeline of steps (``pipeline``, ``steps/``).

options.py   what a build is asked and what it reports (BuildOptions, BuildReport)
context.py   one build's context: its Mode, the clock, the cache, what steps record
engine.py    Builder: builds again and again, keeping what the next build can reuse
pipeline.py  the steps in order, each result handed to the next
steps/       sources (config, discovery, loading), assemble (site, related lists),
             pages (plan, render), generated (feeds, exports), search, outputs (plan, write)
"""

from sitegen.build.context import Mode
from sitegen.build.engine import Builder, build
from sitegen.build.options import BuildOptions, BuildProgress, BuildReport, Changes, StepCallback

__all__ = ["BuildOptions", "BuildProgress", "BuildReport", "Builder", "Changes", "Mode", "StepCallback", "build"]
