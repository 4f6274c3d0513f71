"""A deterministic synthetic news corpus for benchmarking sitegen.

    python bench/corpus.py --articles 10000 --out DIR [--seed 1]

The same seed and article count give the same files byte for byte: every random choice comes
from one ``random.Random(seed)``, drawn in a fixed order, and nothing depends on the clock or
on set iteration order. Text follows a Zipf-like word distribution over ~20,000 pronounceable
pseudo-words plus ~300 common English words, and each topic has its own characteristic words,
so that search and related-article code see something shaped like a real news archive.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random

PSEUDO_WORDS = 20_000
TOPIC_WORDS = 50
TOPIC_SHARE = 0.12  # share of body words drawn from the topic's own words
TAG_COUNT = 400
AUTHOR_COUNT = 200
SOURCE_COUNT = 30
FIRST_DAY = date(2015, 1, 1)
LAST_DAY = date(2025, 12, 31)

TOPICS = (
    "Energy", "Climate", "Transport", "Housing", "Health", "Technology", "Education", "Economy",
    "Politics", "Agriculture", "Fisheries", "Water", "Waste", "Biodiversity", "Oceans", "Forests",
    "Urban Planning", "Labour", "Finance", "Trade", "Tourism", "Culture", "Science", "Space",
    "Justice", "Policing", "Migration", "Elections", "Local Government", "Infrastructure", "Rail",
    "Aviation", "Shipping", "Roads", "Cycling", "Public Health", "Mental Health", "Hospitals",
    "Schools", "Universities", "Research", "Telecoms", "Broadband", "Data Privacy",
    "Artificial Intelligence", "Cybersecurity", "Media", "Sport", "Weather", "Disasters", "Food",
    "Retail", "Manufacturing", "Mining", "Oil and Gas", "Renewables", "Nuclear", "Air Quality",
    "Heritage", "Religion",
)  # fmt: skip

# The most frequent English words, roughly in frequency order, with a news flavour.
_COMMON_TEXT = """
the of and to a in that is for on it with as was by he at from his be have are this
not but or an they which had were has their been its one would she there all will who
more her we also can said after up about other than out into two when new first over
them some could these only time no so if my what him our year years people last most
then may any just such three those while because before between under where both during
through since how because many against each back while since very much even those still
made make way well down should like now being did could own off however four five told
city government state week month day per cent percent company public group including
another around part work plan local report according national new former months officials
council minister police since says say told while later early number high set next long
part few since called among whether although across several added until without within
percent million billion area said told saying chief head already least including second
second third major more less much same both every here today yesterday tomorrow again
never always often still though through might must need needs use used using help found
show shows showed take took taken give gave given see seen come came go went going get
got known know think thought want wanted expected expect according says asked call called
including became become does done doing because therefore rather quite almost nearly
about above below near far long short small large big little old young own right left
whose whom why yet upon via amid despite toward towards onto per each either neither nor
his hers herself himself itself themselves ourselves myself yourself you your yours us
i me mine ours theirs these those this that there here when where what which who
"""
FUNCTION_WORDS = tuple(dict.fromkeys(_COMMON_TEXT.split()))

_ONSETS = (
    "b", "br", "c", "ch", "cl", "d", "dr", "f", "fl", "fr", "g", "gl", "gr", "h", "j", "k", "l",
    "m", "n", "p", "pl", "pr", "qu", "r", "s", "sc", "sh", "sk", "sl", "sm", "sn", "sp", "st",
    "t", "th", "tr", "v", "w", "wh", "y", "z", "", "", "",
)  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ee", "oa", "ou", "io", "ie", "y")
_CODAS = ("", "", "", "", "n", "r", "s", "l", "m", "t", "st", "nd", "nt", "ck", "x", "rn", "ld", "sh", "ng")
_SYLLABLE_COUNTS = (1, 2, 3, 4)
_SYLLABLE_WEIGHTS = (3, 5, 3, 1)
_OFFSETS = ("+00:00", "+01:00", "+02:00", "-05:00", "-04:00", "-08:00", "+05:30", "+09:00", "+10:00")
_SOURCE_PATTERNS = (
    "The {} Herald", "{} Wire", "The {} Times", "{} Post", "The {} Gazette", "{} Daily",
    "Radio {}", "The {} Observer", "{} Chronicle", "{} News", "The {} Courier", "{} Today",
)  # fmt: skip
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class _Vocabulary:
    """Words with Zipf cumulative weights, one population per topic (base words + topic words)."""

    populations: tuple[tuple[str, ...], ...]  # one per topic: the base words, then the topic's words
    cum_weights: tuple[float, ...]  # the same for every topic's population
    topic_words: tuple[tuple[str, ...], ...]
    content_words: tuple[str, ...]  # pseudo-words only, most frequent first


@dataclass(frozen=True)
class _Cast:
    """The fixed names every article draws from."""

    topic_cum: tuple[float, ...]
    tags: tuple[str, ...]
    tag_cum: tuple[float, ...]
    topic_tags: tuple[tuple[str, ...], ...]
    authors: tuple[str, ...]
    author_cum: tuple[float, ...]
    sources: tuple[tuple[str, str], ...]  # (name, domain)
    people: tuple[str, ...]
    places: tuple[str, ...]


def generate_corpus(out: Path, articles: int, seed: int = 1) -> None:
    """Write ``articles`` synthetic articles to ``out/content/`` and a ``out/sitegen.yaml``."""
    content = out / "content"
    if content.exists() and any(content.iterdir()):
        raise FileExistsError(f"{content} already has files; generate into an empty folder")
    rng = Random(seed)
    vocabulary = _make_vocabulary(rng)
    cast = _make_cast(rng, vocabulary)
    content.mkdir(parents=True, exist_ok=True)
    (out / "sitegen.yaml").write_text(
        f'title: "Benchmark archive ({articles} articles, seed {seed})"\nbase_url: "https://bench.example/"\n',
        encoding="utf-8",
    )
    slugs: set[str] = set()
    years: set[int] = set()
    for _ in range(articles):
        year, slug, text = _make_article(rng, vocabulary, cast, slugs)
        if year not in years:
            (content / str(year)).mkdir(exist_ok=True)
            years.add(year)
        with open(content / str(year) / f"{slug}.md", "w", encoding="utf-8", newline="\n") as file:
            file.write(text)


def corpus_vocabulary(seed: int = 1) -> _Vocabulary:
    """The vocabulary the corpus of ``seed`` is written in (content words most frequent first)."""
    return _make_vocabulary(Random(seed))


def _zipf_cum(count: int, exponent: float = 1.0, shift: float = 2.7) -> list[float]:
    """Cumulative Zipf-Mandelbrot weights for ranks 1..count."""
    return list(itertools.accumulate(1.0 / (rank + shift) ** exponent for rank in range(1, count + 1)))


def _pseudo_word(rng: Random, max_syllables: int = 4) -> str:
    syllables = rng.choices(_SYLLABLE_COUNTS[:max_syllables], _SYLLABLE_WEIGHTS[:max_syllables])[0]
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables))


def _unique_words(rng: Random, count: int, taken: set[str], max_syllables: int = 4) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        word = _pseudo_word(rng, max_syllables)
        if 2 <= len(word) <= 4 * max_syllables and word not in taken:
            taken.add(word)
            words.append(word)
    return words


def _make_vocabulary(rng: Random) -> _Vocabulary:
    function_words = list(FUNCTION_WORDS)
    pseudo = _unique_words(rng, PSEUDO_WORDS, set(function_words))
    # Frequent words tend to be short; the noise keeps the ordering from being too neat.
    keys = [len(word) + rng.random() * 4 for word in pseudo]
    pseudo = [word for _, word in sorted(zip(keys, pseudo, strict=True))]
    base = function_words + pseudo
    base_cum = _zipf_cum(len(base))
    base_total = base_cum[-1]
    topic_total = base_total * TOPIC_SHARE / (1 - TOPIC_SHARE)
    topic_shape = _zipf_cum(TOPIC_WORDS, shift=5.0)
    tail = [base_total + topic_total * weight / topic_shape[-1] for weight in topic_shape]
    # Characteristic words are mid-frequency content words, as "ferry" or "turbine" are.
    mid_ranks = range(200, 8000)
    topic_words = tuple(tuple(pseudo[i] for i in rng.sample(mid_ranks, TOPIC_WORDS)) for _ in TOPICS)
    base_tuple = tuple(base)
    return _Vocabulary(
        populations=tuple(base_tuple + words for words in topic_words),
        cum_weights=tuple(base_cum + tail),
        topic_words=topic_words,
        content_words=tuple(pseudo),
    )


def _capitalised(rng: Random, count: int, taken: set[str]) -> list[str]:
    """Names for people, places and papers: short, like real ones."""
    return [word.capitalize() for word in _unique_words(rng, count, taken, max_syllables=2)]


def _make_cast(rng: Random, vocabulary: _Vocabulary) -> _Cast:
    taken = set(vocabulary.content_words) | set(FUNCTION_WORDS)
    first_names = _capitalised(rng, 150, taken)
    last_names = _capitalised(rng, 400, taken)
    people = list(dict.fromkeys(f"{rng.choice(first_names)} {rng.choice(last_names)}" for _ in range(900)))
    authors, people = people[:AUTHOR_COUNT], people[AUTHOR_COUNT:]
    places = _capitalised(rng, 120, taken)
    source_words = _capitalised(rng, SOURCE_COUNT, taken)
    sources = tuple(
        (rng.choice(_SOURCE_PATTERNS).format(word), f"{word.lower()}-{index}.example")
        for index, word in enumerate(source_words)
    )
    tags: list[str] = []
    words = iter(vocabulary.content_words[300:])
    while len(tags) < TAG_COUNT:
        first = next(words)
        tags.append(first if rng.random() < 0.6 else f"{first}-{next(words)}")
    rng.shuffle(tags)
    topic_tags = tuple(tuple(rng.sample(tags, 15)) for _ in TOPICS)
    return _Cast(
        topic_cum=tuple(_zipf_cum(len(TOPICS), exponent=0.8, shift=1.0)),
        tags=tuple(tags),
        tag_cum=tuple(_zipf_cum(len(tags), exponent=0.9)),
        topic_tags=topic_tags,
        authors=tuple(authors),
        author_cum=tuple(_zipf_cum(len(authors), exponent=0.7)),
        sources=sources,
        people=tuple(people),
        places=tuple(places),
    )


def _pick_distinct(rng: Random, population: tuple[str, ...], cum: tuple[float, ...], count: int) -> list[str]:
    picked: dict[str, None] = {}
    while len(picked) < count:
        picked[rng.choices(population, cum_weights=cum)[0]] = None
    return list(picked)


def _make_article(rng: Random, vocabulary: _Vocabulary, cast: _Cast, slugs: set[str]) -> tuple[int, str, str]:
    """One article: its year, slug and file text."""
    topic_count = rng.choices((1, 2, 3), (55, 35, 10))[0]
    topics = [TOPICS.index(t) for t in _pick_distinct(rng, TOPICS, cast.topic_cum, topic_count)]
    published = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    title = _title(rng, vocabulary, cast, topics[0])
    slug = _unique_slug(title, slugs)
    authors = _pick_distinct(rng, cast.authors, cast.author_cum, rng.choices((1, 2, 3), (75, 20, 5))[0])
    tags = _tags(rng, cast, topics)
    lines = ["---", f"title: {json.dumps(title)}", f"date: {_moment(rng, published)}"]
    if rng.random() < 0.2:
        lines.append(f"updated: {_moment(rng, published + timedelta(days=rng.randint(1, 30)))}")
    lines.append(f"author: {json.dumps(authors[0] if len(authors) == 1 and rng.random() < 0.7 else authors)}")
    if rng.random() < 0.9:
        source, domain = rng.choice(cast.sources)
        lines.append(f"source: {json.dumps(source)}")
        lines.append(f'source_url: "https://{domain}/{published.year}/{published.month:02d}/{slug}"')
    lines.append(f"topics: {json.dumps([TOPICS[t] for t in topics])}")
    lines.append(f"tags: {json.dumps(tags)}")
    if rng.random() < 0.4:
        lines.append(f"summary: {json.dumps(_sentence(rng, vocabulary, topics[0], rng.randint(12, 25)))}")
    if rng.random() < 0.15:
        lines.append(f"note: {json.dumps(_note(rng, vocabulary, topics[0]))}")
    lines.append("---")
    body = _body(rng, vocabulary, cast, topics, published, rng.randint(500, 870))
    return published.year, slug, "\n".join(lines) + "\n\n" + body


def _moment(rng: Random, day: date) -> str:
    if rng.random() < 0.4:
        return day.isoformat()
    moment = datetime(
        day.year, day.month, day.day, rng.randint(5, 22), rng.choice((0, 0, 15, 30, 45, rng.randint(0, 59)))
    )
    return f"{moment.isoformat()}{rng.choice(_OFFSETS)}"


def _words(rng: Random, vocabulary: _Vocabulary, topic: int, count: int) -> list[str]:
    return rng.choices(vocabulary.populations[topic], cum_weights=vocabulary.cum_weights, k=count)


def _title(rng: Random, vocabulary: _Vocabulary, cast: _Cast, topic: int) -> str:
    words = _words(rng, vocabulary, topic, rng.randint(6, 11))
    for index in range(len(words)):
        if rng.random() < 0.35:
            words[index] = rng.choice(vocabulary.topic_words[topic])
    if rng.random() < 0.5:
        words[rng.randrange(len(words))] = rng.choice(cast.places)
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.choice((2, 3, 4, 5, 7, 10, 12, 15, 20, 28, 40, 100))))
    return (words[0][:1].upper() + words[0][1:] + " " + " ".join(words[1:])).strip()


def _unique_slug(title: str, slugs: set[str]) -> str:
    base = "-".join(title.lower().split()[:8])
    slug, number = base, 1
    while slug in slugs:
        number += 1
        slug = f"{base}-{number}"
    slugs.add(slug)
    return slug


def _tags(rng: Random, cast: _Cast, topics: list[int]) -> list[str]:
    wanted = rng.randint(2, 6)
    picked: dict[str, None] = {}
    while len(picked) < wanted:
        if rng.random() < 0.7:
            picked[rng.choice(cast.topic_tags[rng.choice(topics)])] = None
        else:
            picked[rng.choices(cast.tags, cum_weights=cast.tag_cum)[0]] = None
    return list(picked)


def _sentence(rng: Random, vocabulary: _Vocabulary, topic: int, length: int) -> str:
    words = _words(rng, vocabulary, topic, length)
    if length > 10 and rng.random() < 0.5:
        cut = rng.randint(3, length - 4)
        words[cut] += ","
    if rng.random() < 0.12:
        index = rng.randrange(1, length) if length > 1 else 0
        words[index] = rng.choice(("28 percent", "1.2 million", "2019", "14", "300", "€4.5 billion", "six", "40,000"))
    if rng.random() < 0.04:
        index = rng.randrange(length)
        words[index] = f"*{words[index]}*"
    end = "?" if rng.random() < 0.03 else "."
    return words[0][:1].upper() + words[0][1:] + (" " if length > 1 else "") + " ".join(words[1:]) + end


def _note(rng: Random, vocabulary: _Vocabulary, topic: int) -> str:
    words = _words(rng, vocabulary, topic, rng.randint(10, 30))
    words[rng.randrange(len(words))] = f"*{rng.choice(vocabulary.topic_words[topic])}*"
    return "Kept for " + " ".join(words) + "."


def _body(rng: Random, vocabulary: _Vocabulary, cast: _Cast, topics: list[int], published: date, budget: int) -> str:
    """Paragraphs of 2-6 sentences of 8-30 words, with a few subheadings, lists and quotes."""
    blocks: list[str] = []
    dateline = f"{rng.choice(cast.places).upper()}, {_MONTHS[published.month - 1]} {published.day} – "
    headings_left = rng.choice((0, 1, 2, 2, 3, 3))
    heading_every = max(1, budget // (headings_left + 1))
    next_heading = heading_every
    used = len(dateline.split())
    while used < budget:
        topic = rng.choice(topics)
        if used >= next_heading and headings_left:
            heading = _words(rng, vocabulary, topic, rng.randint(2, 6))
            heading[0] = heading[0].capitalize()
            blocks.append("## " + " ".join(heading))
            used += len(heading) + 1  # words are counted as wc counts them, markup included
            headings_left -= 1
            next_heading += heading_every
            continue
        if blocks and rng.random() < 0.06:
            items = [_sentence(rng, vocabulary, topic, rng.randint(5, 12))[:-1] + ";" for _ in range(rng.randint(3, 5))]
            blocks.append("\n".join(f"- {item}" for item in items))
            used += sum(item.count(" ") + 2 for item in items)
            continue
        sentences: list[str] = []
        for _ in range(rng.randint(2, 6)):
            left = budget - used
            if left <= 0:
                break
            length = rng.randint(8, 30)
            length = left if left < length + 8 else length  # no runt sentence at the end
            sentence = _sentence(rng, vocabulary, topic, length)
            if rng.random() < 0.08:
                sentence = f'"{sentence[:-1]}," said {rng.choice(cast.people)}.'
                used += 3
            sentences.append(sentence)
            used += length
        paragraph = " ".join(sentences)
        if rng.random() < 0.05:
            paragraph = "> " + paragraph
            used += 1
        elif rng.random() < 0.05:
            source, domain = rng.choice(cast.sources)
            paragraph += (
                f" The full report is available [from {source}](https://{domain}/reports/{rng.randint(1, 9999)})."
            )
            used += 5 + source.count(" ")
        blocks.append(paragraph)
    blocks[0] = dateline + blocks[0]
    return "\n\n".join(blocks) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: generate a corpus into ``--out``."""
    parser = argparse.ArgumentParser(description="Generate a deterministic synthetic sitegen archive.")
    parser.add_argument("--articles", type=int, default=10_000, help="how many articles (default: 10000)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write sitegen.yaml and content/ into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    try:
        generate_corpus(args.out, args.articles, args.seed)
    except FileExistsError as error:
        print(f"corpus.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
