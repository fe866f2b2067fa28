"""Text as the identifier guard reads it: one spelling for what looks the same.

People (and anyone testing the guard) write identifiers with fullwidth digits ("０７７００"), zero-width
spaces or soft hyphens inside ("No\u200bwak"), accents ("Wiśniewski") or a Cyrillic letter among Latin
ones ("Оluwaseun"). Before any pattern runs, each character is folded:

1. NFKC compatibility mapping (fullwidth and mathematical letters and digits, ligatures, odd spaces);
2. format characters (Unicode category Cf: zero-width spaces and joiners, soft hyphens, direction
   marks, the byte-order mark) and combining marks (accents, after canonical decomposition) removed;
3. any other decimal digit (Arabic-Indic, Devanagari ...) to its ASCII digit;
4. letters that Unicode's confusables table (from the ``confusable_homoglyphs`` package, which ships
   Unicode's confusables.txt as data) lists as looking like one ASCII letter or digit mapped to it;
5. Latin letters with a stroke that do not decompose ("Ł", "ø", "đ") to their plain letter;
6. curly quotes and the dash family to their ASCII forms.

:func:`normalise` keeps, for each character it returns, the offset of the character it came from,
so a finding in the folded text points at the right place in what the person typed.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Normalised", "fold_char", "normalise"]

_PUNCTUATION = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u02b9\u00b4\u0060\uff07", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d", "-"),
    "\u2028": "\n",
    "\u2029": "\n",
}


@cache
def _confusables() -> dict[str, str]:
    """Non-ASCII characters that look like a single ASCII letter or digit, from Unicode's table."""
    raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for char, homoglyphs in json.loads(raw).items():
        if len(char) != 1 or char.isascii():
            continue
        ascii_lookalikes = [
            h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii() and h["c"].isalnum()
        ]
        letters = [c for c in ascii_lookalikes if c.isalpha()]
        if letters or ascii_lookalikes:
            table[char] = (letters or ascii_lookalikes)[0]
    return table


@cache
def fold_char(char: str) -> str:
    """What one (non-ASCII) character reads as: possibly several characters, possibly none."""
    if char.isascii():
        return char
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    out: list[str] = []
    for part in unicodedata.normalize("NFKC", char):
        for piece in unicodedata.normalize("NFD", part):
            if unicodedata.category(piece) in ("Cf", "Mn", "Me"):
                continue
            if piece.isascii():
                out.append(piece)
            elif unicodedata.category(piece) == "Nd":
                out.append(str(unicodedata.digit(piece)))
            elif piece in _PUNCTUATION:
                out.append(_PUNCTUATION[piece])
            else:
                out.append(_confusables().get(piece) or _latin_base(piece) or piece)
    return "".join(out)


def _latin_base(char: str) -> str | None:
    """The plain letter of a Latin letter with a stroke or hook that does not decompose ("Ł" -> "L")."""
    name = unicodedata.name(char, "")
    if not name.startswith("LATIN ") or " WITH " not in name:
        return None
    words = name.split(" WITH ")[0].split()
    base = words[-1] if len(words) >= 2 and words[-2] == "LETTER" else ""
    if len(base) != 1:
        return None
    return base if "CAPITAL" in words else base.lower()


@dataclass(frozen=True, slots=True)
class Normalised:
    """Folded text and, for each of its characters, the offset in the original it came from."""

    text: str
    origin: tuple[int, ...] | None  # None: the text is unchanged, offsets are the same

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span (end exclusive) behind folded characters ``start``..``end``."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> Normalised:
    if text.isascii():
        return Normalised(text, None)
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = char if char.isascii() else fold_char(char)
        chars.append(folded)
        origin.extend([index] * len(folded))
    return Normalised("".join(chars), tuple(origin))
