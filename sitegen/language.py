"""Language tags (BCP 47: ``en``, ``pt-BR``, ``zh-Hant``), checked against CLDR's codes.

Babel carries CLDR's lists of language, script and region codes with their names, so a
tag is checked part by part, and a language written as a name (``english``, ``Deutsch``)
or with an underscore (``pt_BR``) gets the code it stands for as a suggestion.
"""

from __future__ import annotations

import functools
import re

from babel import Locale, localedata

_SUBTAGS = re.compile(r"^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8})*$")


def language_problem(key: str, tag: str) -> str | None:
    """Why ``tag`` is not a language tag, with the likely code; None when it is one."""
    if _is_valid(tag):
        return None
    message = f"'{key}' must be a language code like en, de or pt-BR, not \"{tag}\""
    guess = _guess(tag)
    return f"{message}; did you mean '{guess}'?" if guess else message


@functools.cache
def _is_valid(tag: str) -> bool:
    if not _SUBTAGS.match(tag):
        return False
    if tag.replace("-", "_") in _locales():  # most tags: no need to read CLDR's lists of codes
        return True
    parts = tag.split("-")
    if parts[0].lower() == "x":  # private use: anything goes
        return True
    names = _english()
    if not (2 <= len(parts[0]) <= 3 and parts[0].isalpha() and parts[0].lower() in names.languages):
        return False
    rest = parts[1:]
    if rest and len(rest[0]) == 4 and rest[0].isalpha():
        if rest[0].title() not in names.scripts:
            return False
        rest = rest[1:]
    if rest and ((len(rest[0]) == 2 and rest[0].isalpha()) or (len(rest[0]) == 3 and rest[0].isdigit())):
        if rest[0].upper() not in names.territories:
            return False
        rest = rest[1:]
    # Variants (5-8 characters, or a digit and three) and extensions (a singleton and its subtags).
    while rest and (len(rest[0]) >= 5 or (len(rest[0]) == 4 and rest[0][0].isdigit())):
        rest = rest[1:]
    return not rest or (len(rest[0]) == 1 and len(rest) > 1)


@functools.cache
def _locales() -> frozenset[str]:
    """The locales Babel has data for (``en``, ``pt_BR``, ``zh_Hant_TW``): the names of its files."""
    return frozenset(localedata.locale_identifiers())


def _english() -> Locale:
    return Locale("en")  # Babel keeps loaded locales: this costs once per process


def _guess(tag: str) -> str | None:
    """The tag the text probably means: ``english`` -> ``en``, ``pt_BR`` -> ``pt-BR``."""
    dashed = tag.strip().replace("_", "-")
    if dashed != tag and _is_valid(dashed):
        return dashed
    name = tag.strip().lower()
    return _codes_by_english_name().get(name) or _codes_by_own_name().get(name)


@functools.cache
def _codes_by_english_name() -> dict[str, str]:
    return {name.lower(): code for code, name in _english().languages.items() if "_" not in code}


@functools.cache
def _codes_by_own_name() -> dict[str, str]:
    """``deutsch`` -> ``de``: each language's name in itself.

    Reading every language's data takes a second or so, so it happens only for a value
    that is neither a tag nor an English name, once per process.
    """
    codes: dict[str, str] = {}
    for code in localedata.locale_identifiers():
        if "_" not in code:
            # Through Locale, never localedata.load(merge_inherited=False): Babel caches what
            # that returns as the locale's whole data, and every later Locale of it lacks fields.
            name = Locale(code).languages.get(code)
            if name:
                codes.setdefault(name.lower(), code)
    return codes
