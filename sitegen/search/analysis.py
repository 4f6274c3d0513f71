"""One text analysis for both search indexes: tokenizer, stopwords, Porter stemmer, fields.

The browser client (``client/sitegen-search.js``) implements the same rules, so the static
index and the whoosh index see identical tokens: NFKC, lower case, Latin and Greek letters
folded to their base letters (``fold``), runs of Unicode letters, numbers and marks, with
version-like runs (``3.3.0``, ``cve-2024-27280``) kept whole and Chinese, Japanese and
Korean cut into bigrams (``cjk_terms``); for English articles only, English stopwords and
one-letter words are dropped and ASCII words are Porter-stemmed. Everything here is pure, so
analysis can run in a worker process.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

from sitegen.model import Article

# Fields in index order; the client and whoosh use the same names, order and boosts.
FIELDS: tuple[str, ...] = ("title", "summary", "body", "topics", "tags", "authors", "source")
BOOSTS: Mapping[str, float] = {
    "title": 3.0,
    "summary": 1.5,
    "body": 1.0,
    "topics": 2.0,
    "tags": 2.0,
    "authors": 2.0,
    "source": 1.5,
}
# whoosh's BM25F defaults.
BM25_B = 0.75
BM25_K1 = 1.2
MAX_TOKEN_LENGTH = 64  # longer runs are identifiers, hashes or garbage, never words

# whoosh stores a field's length in one byte; scoring sees the length that byte decodes to.
LENGTH_TABLE: tuple[int, ...] = tuple(round((1.033**n - 1) * 27) for n in range(256))

_STOP_TEXT = """
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split())

_ENGLISH_WORD = re.compile(r"[a-z]+")


def is_english(language: str) -> bool:
    """Whether an article's language gets English stopwords and stemming."""
    return language.lower().startswith("en")


_WORDS = re.compile(r"\w+")
# Combining marks that survive NFKC (Indic, Thai, Arabic, Hebrew ... scripts); text without
# any takes the fast path, since Python's \w lacks marks and JS's [\p{L}\p{N}\p{M}] has them.
_MAYBE_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u1dff\u20d0-\u20ff\u302a-\u302f\u3099\u309a"
    "\ua66f-\uabff\ufb1e\ufe00-\ufe2f\U00010000-\U0010ffff]"
)


@functools.cache
def _marked_words(versions: bool = False) -> re.Pattern[str]:
    """Runs of letters, numbers and marks, for text that has marks (built once, lazily)."""
    marks: list[str] = []
    start = -1
    for code in [*range(0x20000), *range(0xE0100, 0xE01F0), 0x10FFFF]:
        is_mark = code != 0x10FFFF and unicodedata.category(chr(code)).startswith("M")
        if is_mark and start < 0:
            start = code
        elif not is_mark and start >= 0:
            marks.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = -1
    letter = f"[\\w{''.join(marks)}]"
    if not versions:
        return re.compile(f"{letter}+")
    piece = f"(?:[^\\W_]|[{''.join(marks)}])"
    return re.compile(_VERSION.format(w=piece) + f"|{letter}+")


# Letters that NFKD does not take apart but readers type without their stroke or ligature.
FOLD_SPECIAL: Mapping[str, str] = {
    "ß": "ss",
    "æ": "ae",
    "ø": "o",
    "œ": "oe",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ħ": "h",
    "ŧ": "t",
    "ĸ": "k",
    "ŋ": "n",
    "ς": "σ",
}
# Latin-1, Latin Extended-A/B, Greek, Latin Extended Additional, and the combining marks a
# lower-cased "İ" leaves behind. Other scripts keep their marks: NFKD would take Hangul
# syllables apart and turn Japanese "が" into "か".
FOLD_RANGES: tuple[tuple[int, int], ...] = ((0x00C0, 0x024F), (0x0300, 0x036F), (0x0370, 0x03FF), (0x1E00, 0x1EFF))


def _fold_letter(letter: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.category(c).startswith("M"))
    return "".join(FOLD_SPECIAL.get(c, c) for c in bare).lower()


_FOLD_TABLE: Mapping[int, str] = {
    code: folded
    for low, high in FOLD_RANGES
    for code in range(low, high + 1)
    if (folded := _fold_letter(chr(code))) != chr(code)
}


def fold(normal: str) -> str:
    """Lower-case text with Latin and Greek accents and strokes folded away: "Michaël Nießen" -> "michael niessen"."""
    return normal.translate(_FOLD_TABLE) if not normal.isascii() else normal


def normalize(text: str) -> str:
    """NFKC, lower case, then folded: the form every token is taken from."""
    return fold(unicodedata.normalize("NFKC", text).lower())


# Version-like runs stay one term: dotted numbers (3.3.0, v1.2rc1, 10.0.2) and runs with at
# least two hyphenated numeric parts (cve-2024-27280, 2024-01-05). "python-3" stays two words.
_VERSION = r"{w}*\d(?:\.\d{w}*)+|{w}+(?:-\d{w}*){{2,}}"
_VERSION_HINT = re.compile(r"\d\.\d|-\d[^\W_]*-\d")
_VERSIONED_WORDS = re.compile(_VERSION.format(w="[^\\W_]") + r"|\w+")
# Han, Hiragana, Katakana (one class, as in Lucene's CJK bigram filter) and Hangul.
_HAN = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
CJK_HINT = re.compile(f"[{_HAN}{_HANGUL}]")
# A word cut at script changes: group 1 a Han or kana run, group 2 a Hangul run.
HAN_RUNS = re.compile(f"([{_HAN}]+)|([{_HANGUL}]+)|[^{_HAN}{_HANGUL}]+")


def cjk_terms(word: str) -> list[str]:
    """A word cut at script changes; Han and kana runs become overlapping bigrams (a lone
    character stays), Hangul runs stay whole and add their syllable bigrams."""
    terms: list[str] = []
    for match in HAN_RUNS.finditer(word):
        run, han, hangul = match.group(), match.group(1), match.group(2)
        if (han or hangul) and len(run) > 1:
            pairs = [run[i : i + 2] for i in range(len(run) - 1)]
            terms += [run, *pairs] if hangul and len(run) > 2 else pairs
        else:
            terms.append(run)
    return terms


def raw_tokens(text: str) -> list[str]:
    """Normalized words in order (runs of letters, numbers and marks), before stopwords and stemming."""
    normal = normalize(text)
    versions = _VERSION_HINT.search(normal)
    words = None if versions else _ascii_words(normal)
    if words is None:
        marked = _MAYBE_MARKS.search(normal)
        if marked:
            words = _marked_words(bool(versions)).findall(normal)
        else:
            words = (_VERSIONED_WORDS if versions else _WORDS).findall(normal)
    if words and not normal.isascii() and CJK_HINT.search(normal):
        words = [term for word in words for term in (cjk_terms(word) if CJK_HINT.search(word) else (word,))]
    if "_" in normal or (words and max(map(len, words)) > MAX_TOKEN_LENGTH):
        words = [part for word in words for part in word.split("_") if part and len(part) <= MAX_TOKEN_LENGTH]
    return words


# Word bytes of ASCII text stay; every other byte becomes a space.
_ASCII_WORD_BYTES = bytes(
    byte if chr(byte).isascii() and (chr(byte).isalnum() or byte == ord("_")) else ord(" ") for byte in range(256)
)
_ASCII_BYTES = bytes(range(128))


def _ascii_words(normal: str) -> list[str] | None:
    """``_WORDS.findall(normal)`` three times faster, when every word is ASCII (news in English:
    ASCII but for dashes, quotes and currency signs); None when some other character may be
    part of a word. Byte translation runs in C with no regular expression at all."""
    data = normal.encode("utf-8", "surrogatepass")
    if len(data) != len(normal):  # some characters are not ASCII: each must be a separator
        others = data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        if any(character.isalnum() or unicodedata.category(character)[0] == "M" for character in set(others)):
            return None
    return data.translate(_ASCII_WORD_BYTES).decode("ascii").split()


def english_term(word: str) -> str | None:
    """The English index term for a normalized word, or None for a stopword (memoised: pure)."""
    try:
        return _TERMS[word]
    except KeyError:
        _learn_terms([word])
        return _TERMS[word]


def _english_term(word: str) -> str | None:
    if word in STOP_WORDS or (len(word) == 1 and not word.isdecimal()):
        return None
    return stem(word) if _ENGLISH_WORD.fullmatch(word) else word


# The English term of every word this process has met: most words recur, and a plain dict
# read at C speed (``tokenize`` maps a whole text through it) costs far less than a call per
# word. A pure function's memo, so nothing ever needs resetting; cleared when full, to stay bounded.
_TERMS: dict[str, str | None] = {}
_TERMS_KEPT = 1 << 17


def tokenize(text: str, language: str) -> list[str]:
    """Index terms in order: lowercased, NFKC, stopwords dropped, English Porter-stemmed."""
    words = raw_tokens(text)
    if not is_english(language):
        return words
    # filter(None) drops the stopwords' None (no term is empty), in C.
    try:
        return list(filter(None, map(_TERMS.__getitem__, words)))
    except KeyError:  # a word this process has not met yet
        _learn_terms(words)
        return list(filter(None, map(_TERMS.__getitem__, words)))


def _learn_terms(words: list[str]) -> None:
    missing = set(words).difference(_TERMS)
    if len(_TERMS) + len(missing) > _TERMS_KEPT:
        _TERMS.clear()
        missing = set(words)
    for word in missing:
        _TERMS[word] = _english_term(word)


@dataclass(frozen=True)
class Section:
    """A heading of an article's body and the first chunk of text under it (the heading's own)."""

    anchor: str  # the heading's id on the page
    title: str
    chunk: int


@dataclass(frozen=True)
class Analysis:
    """An article's index terms per field, in order; counts and lengths derive from them."""

    url: str
    language: str
    tokens: Mapping[str, tuple[str, ...]]  # field -> terms in order (positions are indexes)
    text: str  # the body as plain text, for snippets
    # Where the body's chunks (see split_text) end: (offset in text, count of body terms).
    chunk_ends: tuple[tuple[int, int], ...] = ()
    sections: tuple[Section, ...] = ()  # in order; the text before the first heading has none

    @property
    def fields(self) -> Mapping[str, Mapping[str, int]]:
        """field -> term -> count (computed on each access; keep the result if reused)."""
        return {name: Counter(terms) for name, terms in self.tokens.items()}

    @property
    def lengths(self) -> Mapping[str, int]:
        """field -> number of tokens."""
        return {name: len(terms) for name, terms in self.tokens.items()}


def article_field_texts(article: Article, body_text: str) -> dict[str, str]:
    """The text of each indexed field; list fields are one value per line."""
    return {
        "title": article.title,
        "summary": article.summary,
        "body": body_text,
        "topics": "\n".join(article.topics),
        "tags": "\n".join(article.tags),
        "authors": "\n".join(article.authors),
        "source": article.source or "",
    }


# A heading with an id, as markdown-it's anchors plugin writes it (levels 2-4).
_HEADING = re.compile(r'<h([2-4]) id="([^"<>]*)">(.*?)</h\1>', re.DOTALL)


def split_sections(html: str) -> list[tuple[str, str, str]]:
    """The body cut at its headings with ids: (anchor, heading text, HTML from the heading on);
    the part before the first heading, if any, has an empty anchor."""
    parts: list[tuple[str, str, str]] = []
    at, anchor, title = 0, "", ""
    for match in _HEADING.finditer(html):
        if match.start() > at or anchor:
            parts.append((anchor, title, html[at : match.start()]))
        at, anchor, title = match.start(), unescape(match.group(2)), html_to_text(match.group(3)).replace("\n", " ")
    parts.append((anchor, title, html[at:]))
    return parts


def analyse_article(article: Article) -> Analysis:
    """Tokenize every field of an article (pure; body text from its HTML, in chunks that
    never cross a heading, so that each section's text is its own chunks)."""
    chunks: list[str] = []
    sections: list[Section] = []
    for anchor, title, html in (
        split_sections(article.body_html) if "<h" in article.body_html else [("", "", article.body_html)]
    ):
        if anchor:
            sections.append(Section(anchor, title, len(chunks)))
        chunks += split_text(html_to_text(html))
    body_text = "\n".join(chunks)
    texts = article_field_texts(article, body_text)
    tokens = {name: tuple(tokenize(texts[name], article.language)) for name in FIELDS if name != "body"}
    body: list[str] = []
    ends: list[tuple[int, int]] = []
    offset = -1
    for chunk in chunks:  # chunks end at line breaks, which end words too
        body += tokenize(chunk, article.language)
        offset += len(chunk) + 1
        ends.append((offset, len(body)))
    tokens["body"] = tuple(body)
    return Analysis(article.url, article.language, tokens, body_text, tuple(ends), tuple(sections))


CHUNK_CHARS = 1500


def split_text(text: str) -> list[str]:
    """Paragraphs gathered into chunks of about ``CHUNK_CHARS``; long paragraphs cut at spaces."""
    pieces: list[str] = []
    for paragraph in text.split("\n"):
        while len(paragraph) > 2 * CHUNK_CHARS:
            cut = paragraph.rfind(" ", 0, CHUNK_CHARS + 1)
            cut = CHUNK_CHARS if cut <= 0 else cut
            pieces.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip(" ")
        if paragraph:
            pieces.append(paragraph)
    chunks: list[str] = []
    for piece in pieces:
        if chunks and len(chunks[-1]) + len(piece) < CHUNK_CHARS:
            chunks[-1] = f"{chunks[-1]}\n{piece}"
        else:
            chunks.append(piece)
    return chunks


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIPPED_TAGS = frozenset({"script", "style", "template"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


# Tags that html.parser treats alike (none is script, style or other raw text) and that
# markdown-it's markup is made of.
_PLAIN_TAGS = _BLOCK_TAGS | {"a", "b", "code", "del", "em", "i", "img", "s", "section", "span", "strong", "sub", "sup"}
# A tag as markdown-it writes one: lower case, every attribute double-quoted with its value
# escaped (so no '<', '>' or '"' in it). html.parser reads "</x ...>" as the end tag x too.
_SIMPLE_TAG = re.compile(r'</?([a-z][a-z0-9]*)(?: [a-z][a-z0-9-]*="[^"<>]*")*(?: /)?>')


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: block elements become line breaks, tags vanish."""
    pieces = _SIMPLE_TAG.split(html)  # text, tag name, text, ..., text
    names = pieces[1::2]
    if html.count("<") == len(names) and _PLAIN_TAGS.issuperset(names):
        # Only simple tags, and no other '<': html.parser would pass each text between tags,
        # unescaped, to handle_data, as done here, far faster (markdown-it's usual output).
        # "<br />" gives one line break here, two there; empty lines are dropped below.
        pieces[::2] = map(unescape, pieces[::2])
        pieces[1::2] = ["\n" if name in _BLOCK_TAGS else "" for name in names]
        text = "".join(pieces)
    else:  # comments, scripts, raw HTML of any kind
        extractor = _TextExtractor()
        extractor.feed(html)
        extractor.close()
        text = "".join(extractor.parts)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# The Porter stemmer (M. F. Porter, 1980), written with regular expressions that read the
# same in JavaScript, so the client's copy can be checked line by line against this one.
_STEP2 = {
    "ational": "ate",
    "tional": "tion",
    "enci": "ence",
    "anci": "ance",
    "izer": "ize",
    "bli": "ble",
    "alli": "al",
    "entli": "ent",
    "eli": "e",
    "ousli": "ous",
    "ization": "ize",
    "ation": "ate",
    "ator": "ate",
    "alism": "al",
    "iveness": "ive",
    "fulness": "ful",
    "ousness": "ous",
    "aliti": "al",
    "iviti": "ive",
    "biliti": "ble",
    "logi": "log",
}
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}
_C = "[^aeiou][^aeiouy]*"  # a consonant sequence ("y" after a consonant is a vowel)
_V = "[aeiouy][aeiou]*"  # a vowel sequence
_M_GT_0 = re.compile(f"^({_C})?{_V}{_C}")
_M_EQ_1 = re.compile(f"^({_C})?{_V}{_C}({_V})?$")
_M_GT_1 = re.compile(f"^({_C})?{_V}{_C}{_V}{_C}")
_HAS_VOWEL = re.compile(f"^({_C})?[aeiouy]")
_CVC = re.compile(f"^{_C}[aeiouy][^aeiouwxy]$")
_STEP1A = re.compile("^(.+?)(ss|i)es$")
_STEP1A_S = re.compile("^(.+?)([^s])s$")
_EED = re.compile("^(.+?)eed$")
_ED_ING = re.compile("^(.+?)(ed|ing)$")
_AT_BL_IZ = re.compile("(at|bl|iz)$")
_DOUBLE = re.compile("([^aeiouylsz])\\1$")
_STEP1C = re.compile("^(.+?)y$")
_STEP2_RE = re.compile("^(.+?)(" + "|".join(_STEP2) + ")$")
_STEP3_RE = re.compile("^(.+?)(" + "|".join(_STEP3) + ")$")
_STEP4_RE = re.compile("^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$")
_STEP4_ION = re.compile("^(.+?)(s|t)(ion)$")
_STEP5_E = re.compile("^(.+?)e$")


def stem(word: str) -> str:
    """The Porter stem of a lower-case ASCII word."""
    if len(word) < 3:
        return word
    w = word
    first_y = w[0] == "y"
    if first_y:
        w = "Y" + w[1:]
    # Step 1a
    if _STEP1A.match(w):
        w = _STEP1A.sub(r"\1\2", w)
    elif _STEP1A_S.match(w):
        w = _STEP1A_S.sub(r"\1\2", w)
    # Step 1b
    match = _EED.match(w)
    if match:
        if _M_GT_0.match(match.group(1)):
            w = w[:-1]
    else:
        match = _ED_ING.match(w)
        if match and _HAS_VOWEL.match(match.group(1)):
            w = match.group(1)
            if _AT_BL_IZ.search(w):
                w += "e"
            elif _DOUBLE.search(w):
                w = w[:-1]
            elif _CVC.match(w):
                w += "e"
    # Step 1c
    match = _STEP1C.match(w)
    if match and _HAS_VOWEL.match(match.group(1)):
        w = match.group(1) + "i"
    # Step 2
    match = _STEP2_RE.match(w)
    if match and _M_GT_0.match(match.group(1)):
        w = match.group(1) + _STEP2[match.group(2)]
    # Step 3
    match = _STEP3_RE.match(w)
    if match and _M_GT_0.match(match.group(1)):
        w = match.group(1) + _STEP3[match.group(2)]
    # Step 4
    match = _STEP4_RE.match(w)
    if match:
        if _M_GT_1.match(match.group(1)):
            w = match.group(1)
    else:
        match = _STEP4_ION.match(w)
        if match and _M_GT_1.match(match.group(1) + match.group(2)):
            w = match.group(1) + match.group(2)
    # Step 5
    match = _STEP5_E.match(w)
    if match:
        base = match.group(1)
        if _M_GT_1.match(base) or (_M_EQ_1.match(base) and not _CVC.match(base)):
            w = base
    if w.endswith("ll") and _M_GT_1.match(w):
        w = w[:-1]
    if first_y:
        w = "y" + w[1:]
    return w
