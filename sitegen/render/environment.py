"""The Jinja2 environment: the site's templates/ first, then the default theme."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

from sitegen.model import Moment
from sitegen.taxonomy import MONTH_NAMES

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"


def make_environment(site_templates: Path) -> jinja2.Environment:
    """Autoescaping, StrictUndefined, and a loader that lets a site override any theme file."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(site_templates), str(THEME_DIR / "templates")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["iso"] = iso_moment
    env.filters["human_date"] = human_date
    env.filters["jsonld"] = json_for_script
    env.globals["month_names"] = MONTH_NAMES
    return env


def json_for_script(value: object) -> Markup:
    """JSON safe inside ``<script>``: no ``</script>`` or comment can end the element early."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def iso_moment(moment: Moment) -> str:
    """ISO 8601, as ``<time datetime>`` and feeds want it."""
    return moment.isoformat()


def human_date(moment: Moment) -> str:
    """A date a reader scans easily: ``5 March 2024``, with the time when one is known."""
    text = f"{moment.day} {moment:%B %Y}"
    if isinstance(moment, datetime):
        text += f", {moment:%H:%M}"
        if moment.utcoffset() is not None:
            text += f" {_offset(moment)}"
    return text


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
