"""At a glance: how many articles a listing has per year, or per month when its span is short.

A chart is plain data (periods and counts) made while planning; the theme draws it as an
SVG at build time and writes the same figures as a table for screen readers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sitegen.model import Moment

MONTHLY_SPAN = 24  # months: a listing whose articles span fewer is charted by month
BAR_WIDTH = 10  # SVG units per period; bars are drawn 8 wide with a gap of 2
CHART_HEIGHT = 100


@dataclass(frozen=True)
class Bar:
    """One period of a chart: its year (and month), how many articles, where its page is."""

    year: int
    month: int  # 0 for a whole year
    count: int
    url: str | None  # the date archive's page of the period; None when it has no article here
    x: int  # where the bar starts, in SVG units
    height: int  # in SVG units, out of CHART_HEIGHT


@dataclass(frozen=True)
class Chart:
    """Articles per period, oldest first, every period in the span included (empty ones too)."""

    unit: str  # "year" or "month"
    bars: tuple[Bar, ...]
    highest: int  # the largest count

    @property
    def width(self) -> int:
        """The SVG's width in its own units."""
        return len(self.bars) * BAR_WIDTH


def period_chart(dates: Iterable[Moment], archive_url: str) -> Chart | None:
    """The chart of articles with these dates; None for no article."""
    months = Counter((moment.year, moment.month) for moment in dates)
    if not months:
        return None
    first, last = min(months), max(months)
    span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    if span <= MONTHLY_SPAN:
        periods = [((first[1] - 1 + step) // 12 + first[0], (first[1] - 1 + step) % 12 + 1) for step in range(span)]
        counts = [months[period] for period in periods]
        urls = [f"{archive_url}{year:04d}/{month:02d}/" for year, month in periods]
        unit = "month"
    else:
        years = Counter[int]()
        for (year, _), count in months.items():
            years[year] += count
        periods = [(year, 0) for year in range(first[0], last[0] + 1)]
        counts = [years[year] for year, _ in periods]
        urls = [f"{archive_url}{year:04d}/" for year, _ in periods]
        unit = "year"
    highest = max(counts)
    bars = tuple(
        Bar(
            year=year,
            month=month,
            count=count,
            url=url if count else None,
            x=index * BAR_WIDTH,
            height=max(1, round(count * (CHART_HEIGHT - 4) / highest)) if count else 0,
        )
        for index, ((year, month), count, url) in enumerate(zip(periods, counts, urls, strict=True))
    )
    return Chart(unit=unit, bars=bars, highest=highest)
