"""The plain-text pipeline: the declared list of rules a scraped page goes through.

Order matters: page furniture is dropped before the headline is taken (a promotion line
sits above it), and the dateline is read once the byline and captions are out of the way.
"""

from __future__ import annotations

from sitegen.importer.cleanup_rules import (
    cut_comment_section,
    drop_copyright_lines,
    drop_promotion,
    drop_republisher_legal,
    drop_risk_disclosure,
    drop_share_widgets,
    normalise_spaces,
)
from sitegen.importer.draft import Draft, Rule, run_rules
from sitegen.importer.header_rules import (
    normalise_dateline,
    take_byline,
    take_captions,
    take_dates,
    take_headline,
)

TEXT_RULES: tuple[Rule, ...] = (
    normalise_spaces,
    drop_promotion,
    drop_share_widgets,
    cut_comment_section,
    drop_risk_disclosure,
    drop_republisher_legal,
    drop_copyright_lines,
    take_headline,
    take_dates,
    take_captions,
    take_byline,
    normalise_dateline,
)


def clean_draft(draft: Draft) -> Draft:
    """Run every text rule over a draft, plain text or what the HTML extractor left."""
    return run_rules(draft, TEXT_RULES)
