"""The theme in the reader's language: gettext catalogs for labels, CLDR (through Babel) for
dates, numbers and writing direction.

The theme's catalogs are ``.po`` files in ``theme/locales/``, compiled in memory when a build
starts (a few milliseconds): the text a translator edits is the only copy, and no compiled
``.mo`` can fall out of step with it. A site may add its own ``locales/<language>.po``, and
``labels`` in ``sitegen.yaml``; both win over the theme's.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time, get_datetime_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from sitegen.model import Moment

THEME_LOCALES = Path(__file__).resolve().parent / "theme" / "locales"
SITE_LOCALES = "locales"  # a site's own catalogs, beside content/


@lru_cache(maxsize=256)
def babel_locale(language: str) -> Locale:
    """The CLDR locale for a language tag such as ``de``, ``pt-BR`` or ``zh-Hant``; English
    for a tag CLDR does not know."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(language.split("-")[0])
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en")


def text_direction(language: str) -> str:
    """``rtl`` for languages written right to left (Arabic, Hebrew, Persian, Urdu, ...), else ``ltr``."""
    return "rtl" if babel_locale(language).character_order == "right-to-left" else "ltr"


def format_moment(moment: Moment, language: str) -> str:
    """A date as a reader of ``language`` writes it (CLDR's long date), with the time when
    one is known, and the UTC offset, compactly, when the time has one."""
    # The offset joins the cache key: 06:00+10:00 equals 05:00+09:00 as a datetime, and
    # one would be shown as the other, whichever a process happened to format first.
    offset = moment.utcoffset() if isinstance(moment, datetime) else None
    return _format_moment(moment, offset, language)


@lru_cache(maxsize=1 << 16)  # dates repeat across cards, article pages and related lists
def _format_moment(moment: Moment, offset: timedelta | None, language: str) -> str:
    locale = babel_locale(language)
    day = moment.date() if isinstance(moment, datetime) else moment
    text = str(format_date(day, "long", locale=locale))
    if not isinstance(moment, datetime):
        return text
    clock = str(format_time(moment.replace(tzinfo=None), "short", locale=locale))
    offset = moment.utcoffset()
    if offset is not None:
        clock += "\u00a0" + compact_offset(int(offset.total_seconds() // 60), locale)
    return str(get_datetime_format("medium", locale=locale)).replace("{1}", text).replace("{0}", clock)


def compact_offset(minutes: int, locale: Locale) -> str:
    """A UTC offset in the locale's GMT format, as short as it can be: ``GMT+2``, ``UTC−5:30``."""
    pattern = str(locale.zone_formats.get("gmt", "GMT%s"))
    if minutes == 0:
        return pattern.replace("%s", "")
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return pattern.replace("%s", f"{sign}{hours}" + (f":{rest:02d}" if rest else ""))


@lru_cache(maxsize=4096)
def format_month(year: int, month: int, language: str) -> str:
    """A month as a heading: ``March 2024``, ``März 2024``, ``2024年3月``."""
    return str(format_skeleton("yMMMM", date(year, month, 1), locale=babel_locale(language)))


@lru_cache(maxsize=4096)
def month_name(month: int, language: str) -> str:
    """The month's name on its own (CLDR's stand-alone form)."""
    return str(babel_locale(language).months["stand-alone"]["wide"][month])


def format_number(number: int, language: str) -> str:
    """A whole number with the locale's grouping: 12,345 or 12.345 or 12 345."""
    return str(format_decimal(number, locale=babel_locale(language)))


@dataclass(frozen=True)
class Labels:
    """The theme's labels in one language: gettext's two calls, with the site's overrides."""

    language: str
    catalog: gettext.NullTranslations
    overrides: Mapping[str, str] = field(default_factory=dict)

    def gettext(self, message: str) -> str:
        """The label for ``message`` in this language."""
        override = self.overrides.get(message)
        return override if override is not None else self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        """The label for a count, in the plural form this language uses for ``number``."""
        override = self.overrides.get(singular if number == 1 else plural)
        return override if override is not None else self.catalog.ngettext(singular, plural, number)


def _compile(path: Path, language: str) -> gettext.GNUTranslations | None:
    """A ``.po`` file compiled in memory; None if there is none for this language."""
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language.replace("-", "_"))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _catalog_names(language: str) -> list[str]:
    """Catalog file names to try, most specific first: pt-BR, then pt."""
    names = [language]
    if "-" in language:
        names.append(language.split("-")[0])
    return names


def load_labels(language: str, root: Path | None, overrides: Mapping[str, str]) -> Labels:
    """The labels of ``language``: the site's catalog over the theme's, English where neither has one."""
    chain: gettext.NullTranslations = gettext.NullTranslations()
    for folder in (THEME_LOCALES, root / SITE_LOCALES if root is not None else None):
        if folder is None:
            continue
        for name in reversed(_catalog_names(language)):
            compiled = _compile(folder / f"{name}.po", language)
            if compiled is not None:
                compiled.add_fallback(chain)
                chain = compiled
    return Labels(language, chain, overrides)


def catalogs_digest(root: Path | None) -> str:
    """A digest of every catalog the labels come from, the theme's and the site's."""
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    for folder in (THEME_LOCALES, root / SITE_LOCALES if root is not None else None):
        if folder is not None and folder.is_dir():
            for path in sorted(folder.glob("*.po")):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class LabelBook:
    """Labels per language, each language's catalogs compiled once per build."""

    def __init__(self, root: Path | None, overrides: Mapping[str, Mapping[str, str]]) -> None:
        self._root = root
        self._overrides = overrides
        self._labels: dict[str, Labels] = {}

    def __call__(self, language: str) -> Labels:
        labels = self._labels.get(language)
        if labels is None:
            merged = {**self._overrides.get("", {}), **self._overrides.get(language.split("-")[0], {})}
            merged.update(self._overrides.get(language, {}))
            labels = self._labels[language] = load_labels(language, self._root, merged)
        return labels
