"""Which file of the static index holds each term: the shard layout, kept up to date term by term.

A term's postings live in the numbered shard ``t/N.js`` its group key hashes to (see
``group_key``), or, for a big term, in a file of its own (``t/bHASH.js``, the numbered shard
holding only a 0 for it). How many shards there are and which prefixes are split persist
between builds, so a build lays out afresh only what its changed terms touch: the layout is
the one a whole new layout from the same previous state would give (see ``Layout.place``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from sitegen.search.encoding import fnv1a
from sitegen.search.postings import TermEntry

SHARD_TARGET = 8_000  # bytes of postings per numbered shard, on average (big terms aside)
GROUP_MAX = 12_000  # a prefix group bigger than this is split by one more character
KEY_LENGTH = 2  # a prefix of at least this many characters finds its terms in one shard


def group_key(term: str, split: frozenset[str] | set[str]) -> str:
    """The prefix that decides a term's shard: ``KEY_LENGTH`` characters, more where split."""
    length = KEY_LENGTH
    while length < len(term) and term[:length] in split:
        length += 1
    return term[:length]


def shard_of(term: str, split: frozenset[str], shards: int) -> int:
    """The numbered shard holding a term's postings (unless the term is big)."""
    return fnv1a(group_key(term, split)) % shards


def big_name(term: str) -> str:
    """The name of a big term's own files, ``t/NAME.js`` and ``p/NAME.js``."""
    return f"b{fnv1a(term):08x}"


class Layout:
    """Every term's file, and the sizes that decide it; ``place`` updates it for changed terms.

    The rules, which a whole layout follows too: a term whose codes take more than
    ``big_term`` bytes has a file of its own, and keeps it until it shrinks to half that; the
    shard count is the power of two that gives ``SHARD_TARGET`` bytes per shard, kept as long
    as it is within a factor of two of that; a group of terms sharing a key prefix that holds
    more than ``GROUP_MAX`` bytes is split by one more character (splits are kept while the
    shard count is).
    """

    def __init__(self, shards: int, split: frozenset[str]) -> None:
        self.shards = shards  # as the previous build left them
        self.split = set(split)
        self.big: set[str] = set()
        self._sizes: dict[str, int] = {}
        self._small_total = 0  # the sizes of the terms that are not big
        self._key_of: dict[str, str] = {}  # term -> group key
        self._members: dict[str, set[str]] = {}  # group key -> its terms (big ones too)
        self._small_size: dict[str, int] = {}  # group key -> the size of its terms that are not big
        self.files: dict[str, set[str]] = {}  # file name ("N" or a big name) -> its terms
        self._hashes: dict[str, int] = {}  # group key -> its FNV-1a
        self._written = False  # whether a build wrote the files: until then, every numbered shard is to write

    @property
    def small_total(self) -> int:
        """The sizes of the terms that are not big, summed: what the shard count follows."""
        return self._small_total

    def place(
        self,
        entries: Mapping[str, TermEntry],
        codes: Iterable[str],
        places: Collection[str],
        was_big: frozenset[str],
        big_term: int,
    ) -> tuple[set[str], set[str]]:
        """Lay out the terms whose ``codes`` changed (those without entries are gone).

        ``places`` are the terms whose positions changed; ``was_big`` those that had files of
        their own after the previous build. Returns the names of the postings files (t/) and
        of the positions files (p/) to remake.
        """
        moved: set[str] = set()  # files whose terms changed: both kinds to remake
        coded: set[str] = set()  # postings files whose terms' codes changed
        placed: list[tuple[str, str | None, bool]] = []  # term, its numbered shard before, whether big before
        resized: set[str] = set()  # groups of terms that only grew or shrank
        for term in codes:
            before, big_before = None, term in self.big
            key = self._key_of.get(term)
            if key is not None and term in entries:
                size = entries[term][0]
                big = size > big_term or (term in was_big and size > big_term // 2)
                if big == big_before:  # it stays where it is (most do): only its size changes
                    if not big:
                        self._small_size[key] += size - self._sizes[term]
                        self._small_total += size - self._sizes[term]
                        resized.add(key)
                    self._sizes[term] = size
                    coded.add(big_name(term) if big else self._shard_name(key))
                    continue
            if key is not None:
                before = self._take(term)
            if term not in entries:  # gone
                moved.update([before] if before is not None else [], [big_name(term)] if big_before else [])
                continue
            size = self._sizes[term] = entries[term][0]
            if size > big_term or (term in was_big and size > big_term // 2):
                self.big.add(term)
            else:
                self._small_total += size
                if big_before:
                    moved.add(big_name(term))  # its own files go
            placed.append((term, before, big_before))
        wanted = 1
        while wanted * SHARD_TARGET < self._small_total:
            wanted *= 2
        if not (self.shards and wanted // 2 <= self.shards <= wanted * 2):
            # A new shard count: every term moves, so lay them all out anew, with no split.
            resized = set()
            moved |= set(self.files) | {str(number) for number in range(self.shards)}
            self.shards, self.split = wanted, set()
            self._key_of, self._members, self._small_size, self.files = {}, {}, {}, {}
            placed = [(term, None, False) for term in self._sizes]
            self._written = False
        if not self._written:  # numbered shards are written even when empty
            moved |= {str(number) for number in range(self.shards)}
            self._written = True
        for term, before, big_before in placed:
            name = self._put(term, group_key(term, self.split))
            big = term in self.big
            if before is None or before != name or big != big_before:
                moved.update([name] if before is None else [name, before])  # it came, went or turned
                if big or big_before:
                    moved.add(big_name(term))
            elif big:
                coded.add(big_name(term))  # its 0 stays where it was
            else:
                coded.add(name)
        moved |= self._split_groups({self._key_of[term] for term, _, _ in placed} | resized)
        positioned = {
            big_name(term) if term in self.big else self._shard_name(self._key_of[term])
            for term in places
            if term in self._key_of  # (one gone is in ``codes`` too)
        }
        return moved | coded, moved | positioned

    def _take(self, term: str) -> str:
        """Take a term out, to be placed anew; the numbered shard it was in."""
        key = self._key_of.pop(term)
        name = self._shard_name(key)
        self._members[key].discard(term)
        self.files[name].discard(term)
        size = self._sizes.pop(term)
        if term in self.big:
            self.big.discard(term)
            own = big_name(term)
            self.files[own].discard(term)
            if not self.files[own]:
                del self.files[own]
        else:
            self._small_size[key] -= size
            self._small_total -= size
        return name

    def _put(self, term: str, key: str) -> str:
        """Put a term in group ``key``; its numbered shard."""
        self._key_of[term] = key
        self._members.setdefault(key, set()).add(term)
        if term in self.big:
            self.files.setdefault(big_name(term), set()).add(term)
        else:
            self._small_size[key] = self._small_size.get(key, 0) + self._sizes[term]
        name = self._shard_name(key)
        self.files.setdefault(name, set()).add(term)
        return name

    def _split_groups(self, keys: set[str]) -> set[str]:
        """Split the groups among ``keys`` that grew too big, and the groups that makes; the files changed."""
        dirty: set[str] = set()
        pending = list(keys)
        while pending:
            key = pending.pop()
            if self._small_size.get(key, 0) <= GROUP_MAX:
                continue
            members = self._members[key]
            if all(len(term) <= len(key) for term in members if term not in self.big):
                continue
            self.split.add(key)
            for term in [term for term in members if len(term) > len(key)]:
                # Only its group changes: its entry in a numbered shard (a 0, if big) moves.
                del self._key_of[term]
                members.discard(term)
                self.files[self._shard_name(key)].discard(term)
                if term not in self.big:
                    self._small_size[key] -= self._sizes[term]
                new_key = group_key(term, self.split)
                dirty |= {self._shard_name(key), self._put(term, new_key)}
                pending.append(new_key)
        return dirty

    def _shard_name(self, key: str) -> str:
        value = self._hashes.get(key)
        if value is None:
            value = self._hashes[key] = fnv1a(key)
        return str(value % self.shards)
