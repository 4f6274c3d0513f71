"""A synthetic archive of long articles (5-40 kB, many headings) with known answers.

Like release notes and long reports: every article has 4-24 ``##`` sections. Some articles
are *about* a subject (a pair of words in the title, in a heading and side by side in the
text); others mention the same two words apart, as a long text mentions many things. Some
authors' names carry accents, one is Chinese; some articles are release notes with version
numbers; a few rare words each stand in one section of one article. ``judged_queries``
gives fixed queries with the articles a reader would judge relevant, for precision@5.

    python bench/long_corpus.py --articles 300 --out /tmp/long
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_vocabulary

SUBJECTS = 12  # subjects with articles about them
ABOUT = 8  # articles about each subject
AUTHORS = (
    "Michaël Zasso",
    "Ruben Nießen",
    "Søren Ødegård",
    "Zoë Łukasiewicz",
    "José Núñez",
    "沈鸿飞",
    "Mira Castell",
    "Jon Ide",
    "Ana Ruiz",
    "Bo Lind",
)
VERSIONS = ("3.3.0", "3.2.2", "20.11.1", "v8", "http2", "CVE-2024-27280")


@dataclass(frozen=True)
class Judged:
    """A fixed query and the URLs of the articles a reader would take as answers."""

    query: str
    kind: str  # plain, fuzzy, folded, version, cjk, section
    relevant: frozenset[str]


def _typo(word: str, rng: Random) -> str:
    """One edit a hurried reader makes: a letter dropped, doubled or swapped with the next."""
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "swap", "double"))
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + word[at] + word[at:]


def _plan(articles: int, seed: int) -> tuple[list[tuple[str, str]], list[str], list[dict[str, object]]]:
    rng = Random(seed)
    words = corpus_vocabulary(seed).content_words
    subjects = [(words[150 + 37 * k], words[900 + 53 * k]) for k in range(SUBJECTS)]
    needles = [words[14000 + 7 * k] for k in range(12)]
    plans: list[dict[str, object]] = []
    for number in range(articles):
        about = number // ABOUT if number < SUBJECTS * ABOUT else None
        mentions = [k for k in range(SUBJECTS) if k != about and rng.random() < 0.12]
        plans.append(
            {
                "about": about,
                "mentions": mentions,
                "author": AUTHORS[number % len(AUTHORS)] if number % 3 else AUTHORS[6 + number % 4],
                "version": VERSIONS[(number // 9) % len(VERSIONS)] if number % 9 == 4 else None,
                "needle": needles[number // 20] if number % 20 == 7 and number // 20 < len(needles) else None,
                "sections": rng.randint(4, 24),
            }
        )
    rng.shuffle(plans)
    return subjects, needles, plans


def _slug(number: int) -> str:
    return f"long-{number:04d}"


def generate_long_corpus(out: Path, articles: int = 300, seed: int = 1) -> None:
    """Write the archive to ``out`` (``sitegen.yaml`` and ``content/``)."""
    content = out / "content"
    if content.exists() and any(content.iterdir()):
        raise FileExistsError(f"{content} already has files; generate into an empty folder")
    content.mkdir(parents=True, exist_ok=True)
    (out / "sitegen.yaml").write_text(
        f'title: "Long articles ({articles}, seed {seed})"\nbase_url: "https://long.example/"\n', encoding="utf-8"
    )
    rng = Random(seed + 1)
    vocabulary = corpus_vocabulary(seed)
    population = vocabulary.populations[0][:6000]
    subjects, _, plans = _plan(articles, seed)
    day = date(2020, 1, 1)
    for number, plan in enumerate(plans):
        words = lambda count: rng.choices(population, k=count)  # noqa: E731
        about = plan["about"]
        title = " ".join(words(rng.randint(3, 6))).capitalize()
        if isinstance(about, int):
            first, second = subjects[about]
            title = f"{first.capitalize()} {second} {' '.join(words(rng.randint(1, 3)))}"
        if plan["version"]:
            title = f"Release {plan['version']}: {title}"
        sections: list[str] = []
        count = int(plan["sections"])  # type: ignore[call-overload]
        subject_sections = set(rng.sample(range(count), min(2, count)))
        for index in range(count):
            heading = " ".join(words(rng.randint(2, 5))).capitalize()
            if isinstance(about, int) and index == min(subject_sections):
                heading = f"{' '.join(subjects[about])} {heading.lower()}"
            paragraphs: list[str] = []
            for _ in range(rng.randint(2, 5)):
                sentence_words = words(rng.randint(40, 110))
                if isinstance(about, int) and index in subject_sections:
                    at = rng.randrange(len(sentence_words))
                    sentence_words[at:at] = list(subjects[about])
                for mention in plan["mentions"]:  # type: ignore[attr-defined]
                    if rng.random() < 0.3:  # the two words far apart
                        sentence_words.insert(0, subjects[mention][0])
                        sentence_words.append(subjects[mention][1])
                if plan["version"] and rng.random() < 0.2:
                    sentence_words.insert(rng.randrange(len(sentence_words)), str(plan["version"]))
                paragraphs.append(" ".join(sentence_words).capitalize() + ".")
            if plan["needle"] and index == count // 2:
                paragraphs.append(f"Only here: the {plan['needle']} detail matters.")
            sections.append(f"## {heading}\n\n" + "\n\n".join(paragraphs))
        front = [
            "---",
            f"title: {json.dumps(title, ensure_ascii=False)}",
            f"date: {(day + timedelta(days=3 * number)).isoformat()}",
            f"author: {json.dumps(plan['author'], ensure_ascii=False)}",
            f'source: "Long Reads {1 + number % 3}"',
            f'topics: ["{("Releases", "Reports", "Essays")[number % 3]}"]',
            "---",
        ]
        intro = " ".join(words(rng.randint(30, 60))).capitalize() + "."
        (content / f"{_slug(number)}.md").write_text(
            "\n".join(front) + "\n\n" + intro + "\n\n" + "\n\n".join(sections) + "\n", encoding="utf-8"
        )


def judged_queries(articles: int = 300, seed: int = 1) -> list[Judged]:
    """The fixed queries of the long corpus and their relevant articles (URLs)."""
    subjects, needles, plans = _plan(articles, seed)
    url = {number: f"/{(date(2020, 1, 1) + timedelta(days=3 * number)).year}/" for number in range(len(plans))}

    def where(test: object) -> frozenset[str]:
        found = set()
        for number, plan in enumerate(plans):
            if test(plan):  # type: ignore[operator]
                month = (date(2020, 1, 1) + timedelta(days=3 * number)).month
                found.add(f"{url[number]}{month:02d}/{_slug(number)}/")
        return frozenset(found)

    rng = Random(seed + 2)
    judged: list[Judged] = []
    for k, (first, second) in enumerate(subjects):
        relevant = where(lambda plan, k=k: plan["about"] == k)
        judged.append(Judged(f"{first} {second}", "plain", relevant))
        if k < 5:
            judged.append(Judged(f"{_typo(first, rng)} {second}", "fuzzy", relevant))
    for name, query in (
        ("Michaël Zasso", "michael zasso"),
        ("Ruben Nießen", "niessen"),
        ("Søren Ødegård", "soren odegard"),
    ):
        judged.append(Judged(query, "folded", where(lambda plan, name=name: plan["author"] == name)))
    judged.append(Judged("鸿飞", "cjk", where(lambda plan: plan["author"] == "沈鸿飞")))
    for version in ("3.3.0", "CVE-2024-27280"):
        judged.append(Judged(version, "version", where(lambda plan, v=version: plan["version"] == v)))
    for needle in needles[:4]:
        judged.append(Judged(needle, "section", where(lambda plan, n=needle: plan["needle"] == n)))
    return judged


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the long corpus into ``--out``."""
    parser = argparse.ArgumentParser(description="Generate the long-article search corpus.")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        generate_long_corpus(args.out, args.articles, args.seed)
    except FileExistsError as error:
        print(f"long_corpus.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
