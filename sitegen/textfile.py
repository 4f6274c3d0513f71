"""Text files as sitegen reads them: UTF-8, and a message naming the encoding when they are not."""

from __future__ import annotations

import codecs

_SAMPLE = 4096  # bytes looked at to tell UTF-16 from a binary file


class TextEncodingError(UnicodeError):
    """The bytes are not UTF-8 text; ``line`` is that of the first byte that is not (when known)."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def decode_utf8(data: bytes) -> str:
    """UTF-8 text with a BOM dropped and every line ending turned into ``\\n``."""
    if b"\x00" in data or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # never in UTF-8 text
        utf16 = _utf16_kind(data)
        if utf16:
            raise TextEncodingError(None, f"is {utf16} text, not UTF-8; save it with UTF-8 encoding")
        raise TextEncodingError(None, "contains NUL bytes; is it a binary file?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_utf8(data, error.start) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16_kind(data: bytes) -> str:
    """``UTF-16`` or ``UTF-32`` when the bytes are text in one of them, with or without a BOM."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    # Without a BOM: ASCII characters in UTF-16 are pairs of one zero byte and one that is not.
    sample = data[: _SAMPLE - _SAMPLE % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return ""
    little = sum(1 for i in range(0, 2 * pairs, 2) if sample[i] and not sample[i + 1])
    big = sum(1 for i in range(0, 2 * pairs, 2) if sample[i + 1] and not sample[i])
    return "UTF-16" if max(little, big) >= 0.6 * pairs else ""


def _not_utf8(data: bytes, start: int) -> TextEncodingError:
    """The error for bytes that stop being UTF-8 at ``start``, naming the likely encoding."""
    line = data.count(b"\n", 0, start) + 1
    word_start = max(data.rfind(b" ", 0, start), data.rfind(b"\n", 0, start)) + 1
    word_end = min((i for i in (data.find(b" ", start), data.find(b"\n", start)) if i >= 0), default=len(data))
    if _looks_western(data):
        word = data[word_start:word_end][:40].decode("cp1252", errors="replace").strip()
        return TextEncodingError(
            line, f'is not UTF-8: it looks like Latin-1 / Windows-1252 ("{word}"); save it with UTF-8 encoding'
        )
    return TextEncodingError(
        line, f"is not UTF-8 (byte 0x{data[start]:02X} is the first that is not); save it with UTF-8 encoding"
    )


def _looks_western(data: bytes) -> bool:
    """Whether the bytes read as Latin-1 / Windows-1252 text.

    In a Western European text the letters outside ASCII stand mostly alone among ASCII
    ones ("Café", "naïve"), where the multi-byte encodings of East Asian scripts make runs.
    """
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:  # bytes that Windows-1252 leaves undefined
        return False
    runs = [len(run) for run in bytes(b if b >= 0x80 else 0x20 for b in data).split(b" ") if run]
    return bool(runs) and sum(runs) / len(runs) <= 1.5
