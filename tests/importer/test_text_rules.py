"""Each text rule on its own, against the cases in fixtures/rules/<rule name>.txt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from sitegen.importer.draft import Draft
from sitegen.importer.text_rules import TEXT_RULES, clean_draft

RULES_DIR = Path(__file__).parent / "fixtures" / "rules"
RULES = {rule.__name__: rule for rule in TEXT_RULES}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|t)")


@dataclass(frozen=True)
class RuleCase:
    rule: str
    name: str
    given: tuple[str, ...]
    expected: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]


def _unescape(line: str) -> str:
    return _ESCAPE.sub(lambda m: "\t" if m.group(1) == "t" else chr(int(m.group(1)[1:], 16)), line)


def _trim(lines: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return tuple(lines[:end])


def load_cases(path: Path) -> list[RuleCase]:
    """Parse one fixture file into its cases (format in fixtures/rules/README.md)."""
    cases: list[RuleCase] = []
    chunks = re.split(r"^## (.*)\n", path.read_text(encoding="utf-8"), flags=re.M)
    for name, body in zip(chunks[1::2], chunks[2::2], strict=True):
        sections: list[list[str]] = [[], [], []]
        index = 0
        for line in body.split("\n"):
            if line == "." and index < 2:
                index += 1
            else:
                sections[index].append(_unescape(line))
        fields = tuple(
            (key.strip(), value.strip())
            for key, _, value in (line.partition(":") for line in sections[2] if line.strip())
        )
        cases.append(RuleCase(path.stem, name, _trim(sections[0]), _trim(sections[1]), fields))
    return cases


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return " | ".join(_show(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


ALL_CASES = [case for path in sorted(RULES_DIR.glob("*.txt")) for case in load_cases(path)]


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: f"{c.rule}: {c.name}")
def test_rule_case(case: RuleCase) -> None:
    result = RULES[case.rule](Draft(lines=case.given))
    assert _trim(result.lines) == case.expected
    for field, expected in case.fields:
        assert _show(getattr(result, field)) == expected, field


def test_every_rule_has_fixture_cases() -> None:
    counts = {name: 0 for name in RULES}
    for case in ALL_CASES:
        counts[case.rule] += 1
    assert {name for name, count in counts.items() if count < 2} == set()


def test_fixture_files_name_real_rules() -> None:
    assert {path.stem for path in RULES_DIR.glob("*.txt")} == set(RULES)


def test_rules_never_mutate_their_input() -> None:
    draft = Draft(lines=("Headline", "Published 03/02/2023, 09:41 AM", "Body text here."))
    clean_draft(draft)
    assert draft == Draft(lines=("Headline", "Published 03/02/2023, 09:41 AM", "Body text here."))
