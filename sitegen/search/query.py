"""The query language both search engines understand, parsed the same way in Python and JS.

Syntax (whoosh's, in the parts people use): words (implicit AND), ``"exact phrases"``,
``AND``/``OR``/``NOT`` and ``-word``, parentheses, ``prefix*``, ``field:word`` or
``field:"a phrase"`` for title, summary, body, topic, tag, author and source, and dates:
``date:2020``, ``date:2020-03``, ``date:[2019 TO 2021-06]``, ``date:>=2019``.

A query is data: parsing never raises, whatever the text; what cannot be understood is read
as words or ignored. ``parse_query`` gives a tree of nodes; ``compile_query`` turns it into
index terms with field boosts, which the whoosh side and the browser evaluate alike:

* a word matches any field, as its English stem or as written (stemming is per article);
* ``AND`` adds scores and needs every part; ``OR`` adds the scores of the parts that match;
  ``NOT`` only removes documents; a date range adds 1 to what it matches (whoosh's
  constant score), which leaves the order among matching documents as it was;
* results come best score first; equal scores go to the article indexed later (the higher
  id of the static index: publication order on a first build, then order of arrival).
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sitegen.search.analysis import BOOSTS, FIELDS, english_term, raw_tokens
from sitegen.search.fuzzy import TYPO_WEIGHT

MAX_QUERY_CHARS = 1000
MAX_LEAVES = 24
MAX_DEPTH = 8
MAX_EXPANSIONS = 32
MIN_PREFIX = 2
# While typing, the words a prefix expands to weigh this much of the word itself, so that
# a whole word typed (``http2``) ranks above the longer words it starts (``http2scope``).
PREFIX_WEIGHT = 0.2

FIELD_NAMES = {
    "title": "title",
    "summary": "summary",
    "body": "body",
    "topic": "topics",
    "topics": "topics",
    "tag": "tags",
    "tags": "tags",
    "author": "authors",
    "authors": "authors",
    "source": "source",
}
_EPOCH = date(1970, 1, 1).toordinal()


# The parse tree.
@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class DateRange:
    start: int | None  # first day, as days since 1970-01-01, inclusive
    end: int | None  # last day, inclusive


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Word | Phrase | DateRange | Not | And | Or


# The compiled form: index terms, evaluated by an engine.
@dataclass(frozen=True)
class TermQ:
    field: str
    term: str
    boost: float


@dataclass(frozen=True)
class PhraseQ:
    field: str
    terms: tuple[str, ...]
    boost: float


@dataclass(frozen=True)
class AnyQ:
    """Documents matching any part; scores add up."""

    parts: tuple[Compiled, ...]


@dataclass(frozen=True)
class AllQ:
    """Documents matching every part in ``parts`` and none in ``excluded``; scores add up."""

    parts: tuple[Compiled, ...]
    excluded: tuple[Compiled, ...] = ()
    # Parts that add to the score of a document that matches them too, matched or not: the
    # query's words side by side (see ``_nearby``).
    maybe: tuple[Compiled, ...] = ()


@dataclass(frozen=True)
class DateQ:
    start: int | None
    end: int | None


Compiled = TermQ | PhraseQ | AnyQ | AllQ | DateQ

# (prefix, fields) -> [(term, document frequency summed over the fields)]
PrefixExpander = Callable[[str, tuple[str, ...]], Sequence[tuple[str, int]]]
# (index term, fields) -> the terms a typo of it is corrected to, best first (see fuzzy.py)
TypoCorrector = Callable[[str, tuple[str, ...]], Sequence[str]]


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "phrase", "date", "(", ")", "AND", "OR", "NOT"
    text: str = ""
    field: str | None = None


def parse_query(text: str) -> Node | None:
    """The parse tree of a query, or None when nothing searchable is left."""
    tokens = _lex(text[:MAX_QUERY_CHARS])
    parser = _Parser(tokens)
    parts: list[Node] = []
    while parser.position < len(tokens):
        node = parser.parse_or(0)
        if node is not None:
            parts.append(node)
        if parser.position < len(tokens):  # a stray ")" or an operator with nothing after it
            parser.position += 1
    return _join(And, parts)


# The field names a person types, as the help and warnings show them.
SHOWN_FIELDS = ("title", "summary", "body", "topic", "tag", "author", "source", "date")


def unknown_fields(text: str) -> list[str]:
    """A warning for each ``name:value`` whose name is no field (the query reads it as words)."""
    warnings: list[str] = []
    for word in re.sub(r'"[^"]*"?', " ", text[:MAX_QUERY_CHARS]).split():  # phrases hold no fields
        name, colon, value = word.lstrip("-+(").partition(":")
        if not colon or not value or not name.isalpha() or value.startswith("//"):  # a URL is words
            continue
        if name.lower() in FIELD_NAMES or name.lower() == "date":
            continue
        guess = difflib.get_close_matches(name.lower(), [*FIELD_NAMES, "date"], n=1, cutoff=0.6)
        hint = f"; did you mean '{_shown_field(guess[0])}'?" if guess else ""
        shown = f"{name}:{value.rstrip(')')}"
        warnings.append(f"unknown field '{name}' in {shown}{hint} (known fields: {', '.join(SHOWN_FIELDS)})")
    return warnings


def _shown_field(name: str) -> str:
    return name[:-1] if name.endswith("s") and name[:-1] in SHOWN_FIELDS else name


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char))
            i += 1
        elif char == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            tokens.append(_Token("phrase", text[i + 1 : end]))
            i = end + 1
        elif char == "-" and i + 1 < n and not text[i + 1].isspace():
            tokens.append(_Token("NOT"))
            i += 1
        elif char == "+":
            i += 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in '()"':
                i += 1
            word = text[start:i]
            colon = word.find(":")
            name = word[:colon].lower() if colon > 0 else ""
            if name == "date":
                value = word[colon + 1 :]
                if value == "" and i < n and text[i] == "[":
                    end = text.find("]", i)
                    end = n if end < 0 else end
                    value = text[i : end + 1]
                    i = end + 1
                elif value.startswith("[") and not value.endswith("]"):
                    end = text.find("]", i)
                    end = n if end < 0 else end
                    value = value + text[i : end + 1]
                    i = end + 1
                tokens.append(_Token("date", value))
            elif name in FIELD_NAMES:
                value = word[colon + 1 :]
                if value == "" and i < n and text[i] == '"':
                    end = text.find('"', i + 1)
                    end = n if end < 0 else end
                    tokens.append(_Token("phrase", text[i + 1 : end], FIELD_NAMES[name]))
                    i = end + 1
                else:
                    tokens.append(_Token("word", value, FIELD_NAMES[name]))
            elif word in ("AND", "OR", "NOT"):
                tokens.append(_Token(word))
            else:
                tokens.append(_Token("word", word))
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.position = 0
        self.leaves = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def parse_or(self, depth: int) -> Node | None:
        parts = [self.parse_and(depth)]
        while (token := self._peek()) is not None and token.kind == "OR":
            self.position += 1
            parts.append(self.parse_and(depth))
        return _join(Or, [part for part in parts if part is not None])

    def parse_and(self, depth: int) -> Node | None:
        parts: list[Node] = []
        while (token := self._peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.position += 1
                continue
            node = self.parse_unary(depth)
            if node is not None:
                parts.append(node)
        return _join(And, parts)

    def parse_unary(self, depth: int) -> Node | None:
        token = self._peek()
        assert token is not None
        self.position += 1
        if token.kind == "NOT":
            if (following := self._peek()) is None or following.kind in ("OR", ")", "AND"):
                return None
            child = self.parse_unary(depth)
            return Not(child) if child is not None else None
        if token.kind == "(":
            if depth >= MAX_DEPTH:
                return None
            node = self.parse_or(depth + 1)
            if (closing := self._peek()) is not None and closing.kind == ")":
                self.position += 1
            return node
        if self.leaves >= MAX_LEAVES:
            return None
        self.leaves += 1
        if token.kind == "phrase":
            return Phrase(token.text, token.field)
        if token.kind == "date":
            return _date_range(token.text)
        text = token.text
        prefix = text.endswith("*")
        return Word(text.rstrip("*"), token.field, prefix)


def _join(kind: type[And] | type[Or], parts: list[Node]) -> Node | None:
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return kind(tuple(parts))


def _date_range(value: str) -> DateRange | None:
    """``2020``, ``2020-03``, ``2020-03-05``, ``[A TO B]`` (either end optional), ``>=A``..."""
    if value.startswith("["):
        inner = value[1:-1] if value.endswith("]") else value[1:]
        words = inner.split()
        upper = [word.upper() for word in words]
        if "TO" not in upper:
            return None
        cut = upper.index("TO")
        low, high = " ".join(words[:cut]), " ".join(words[cut + 1 :])
        start = _period(low)[0] if low else None
        end = _period(high)[1] if high else None
        if (low and start is None) or (high and end is None) or (start is None and end is None):
            return None
        return DateRange(start, end)
    for operator in (">=", "<=", ">", "<"):
        if value.startswith(operator):
            first, last = _period(value[len(operator) :])
            if first is None or last is None:
                return None
            return {
                ">=": DateRange(first, None),
                "<=": DateRange(None, last),
                ">": DateRange(last + 1, None),
                "<": DateRange(None, first - 1),
            }[operator]
    first, last = _period(value)
    return DateRange(first, last) if first is not None else None


def _period(text: str) -> tuple[int | None, int | None]:
    """The first and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    parts = text.strip().split("-")
    if not 1 <= len(parts) <= 3 or not all(part.isascii() and part.isdigit() for part in parts):
        return None, None
    if len(parts[0]) != 4 or any(len(part) != 2 for part in parts[1:]):
        return None, None
    year = int(parts[0])
    try:
        if len(parts) == 1:
            first, last = date(year, 1, 1), date(year, 12, 31)
        elif len(parts) == 2:
            month = int(parts[1])
            first = date(year, month, 1)
            last = date(year, month, calendar.monthrange(year, month)[1])
        else:
            first = last = date(year, int(parts[1]), int(parts[2]))
    except ValueError:
        return None, None
    return first.toordinal() - _EPOCH, last.toordinal() - _EPOCH


def day_number(moment: date) -> int:
    """Days since 1970-01-01, the unit of date ranges."""
    return moment.toordinal() - _EPOCH


def compile_query(node: Node | None, expand: PrefixExpander, correct: TypoCorrector | None = None) -> Compiled | None:
    """Index terms for a parse tree; None when the query can match nothing. ``correct``
    gives the corrections of a word found in too few documents (none: no typo tolerance)."""
    if node is None:
        return None
    if isinstance(node, Word):
        return _compile_word(node, expand, correct)
    if isinstance(node, Phrase):
        return _compile_phrase(node)
    if isinstance(node, DateRange):
        return DateQ(node.start, node.end)
    if isinstance(node, Not):
        return None  # a negation alone matches nothing; And() uses its child directly
    if isinstance(node, Or):
        parts = [part for child in node.children if (part := compile_query(child, expand, correct)) is not None]
        return _any(parts)
    positive: list[Compiled] = []
    excluded: list[Compiled] = []
    for child in node.children:
        if isinstance(child, Not):
            if (part := compile_query(child.child, expand, correct)) is not None:
                excluded.append(part)
        elif (part := compile_query(child, expand, correct)) is not None:
            positive.append(part)
    if not positive:
        return None
    if len(positive) == 1 and not excluded:
        return positive[0]
    return AllQ(tuple(positive), tuple(excluded), _nearby(node.children))


# Words of a query found side by side, in the title or the text, add this share of their scores.
NEARBY_WEIGHT = 0.5
NEARBY_FIELDS = ("title", "body")


def _nearby(children: Sequence[Node]) -> tuple[Compiled, ...]:
    """The phrase of the query's plain words (a prefix by the word as typed), as a bonus for
    the documents that have them side by side; none for fewer than two words."""
    terms = [
        forms[0]
        for child in children
        if isinstance(child, Word) and child.field is None
        for word in raw_tokens(child.text)
        if (forms := word_forms(word))
    ]
    if len(terms) < 2:
        return ()
    return tuple(PhraseQ(f, tuple(terms), BOOSTS[f] * NEARBY_WEIGHT) for f in NEARBY_FIELDS)


def _any(parts: Sequence[Compiled]) -> Compiled | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AnyQ(tuple(parts))


def word_forms(word: str) -> tuple[str, ...]:
    """The index terms a normalized query word stands for: its English stem and itself.

    English stopwords are dropped altogether, or ``the ferry`` would find no English article.
    """
    english = english_term(word)
    if english is None:
        return ()
    return (english,) if english == word else (english, word)


def _fields(field: str | None) -> tuple[str, ...]:
    return FIELDS if field is None else (field,)


def _compile_word(node: Word, expand: PrefixExpander, correct: TypoCorrector | None) -> Compiled | None:
    fields = _fields(node.field)
    words = raw_tokens(node.text)
    if node.prefix and len(words) == 1 and len(words[0]) >= MIN_PREFIX:
        prefix = words[0]
        exact = word_forms(prefix)
        if not exact:  # a stopword typed whole stays a stopword: "the" is not "the*"
            return None
        found = sorted(expand(prefix, fields), key=lambda item: (-item[1], item[0]))[:MAX_EXPANSIONS]
        if found or correct is None:  # else no word starts so: a typo, corrected below
            terms = sorted({term for term, _ in found} | set(exact))
            weights = {term: 1.0 if term in exact else PREFIX_WEIGHT for term in terms}
            return _any([TermQ(f, term, BOOSTS[f] * weights[term]) for f in fields for term in terms])
    parts: list[Compiled] = []
    for word in words:
        forms = word_forms(word)
        fixes = correct(forms[0], fields) if correct is not None and forms else ()
        typos = [TermQ(f, fix, BOOSTS[f] * TYPO_WEIGHT) for f in fields for fix in fixes]
        part = _any([TermQ(f, form, BOOSTS[f]) for f in fields for form in forms] + typos)
        if part is not None:
            parts.append(part)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AllQ(tuple(parts))


def _compile_phrase(node: Phrase) -> Compiled | None:
    words = raw_tokens(node.text)
    english = tuple(term for word in words if (term := english_term(word)) is not None)
    variants = list(dict.fromkeys(v for v in (english, tuple(words)) if v))
    parts: list[Compiled] = []
    for f in _fields(node.field):
        for variant in variants:
            if len(variant) == 1:
                parts.append(TermQ(f, variant[0], BOOSTS[f]))
            else:
                parts.append(PhraseQ(f, variant, BOOSTS[f]))
    return _any(parts)


def highlight_terms(compiled: Compiled | None) -> frozenset[str]:
    """Every index term a compiled query looks for, for marking words in snippets."""
    if compiled is None:
        return frozenset()
    if isinstance(compiled, TermQ):
        return frozenset({compiled.term})
    if isinstance(compiled, PhraseQ):
        return frozenset(compiled.terms)
    if isinstance(compiled, AnyQ | AllQ):
        found: set[str] = set()
        for part in compiled.parts:
            found |= highlight_terms(part)
        return frozenset(found)
    return frozenset()


def to_json(compiled: Compiled | None) -> object:
    """A plain-data form of a compiled query, to compare with the client's compiler."""
    if compiled is None:
        return None
    if isinstance(compiled, TermQ):
        return ["term", compiled.field, compiled.term, compiled.boost]
    if isinstance(compiled, PhraseQ):
        return ["phrase", compiled.field, list(compiled.terms), compiled.boost]
    if isinstance(compiled, AnyQ):
        return ["any", [to_json(part) for part in compiled.parts]]
    if isinstance(compiled, AllQ):
        parts = [[to_json(part) for part in compiled.parts], [to_json(part) for part in compiled.excluded]]
        if compiled.maybe:
            parts.append([to_json(part) for part in compiled.maybe])
        return ["all", *parts]
    return ["date", compiled.start, compiled.end]
