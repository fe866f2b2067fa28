"""Dates of birth: a date in the same clause as "born", "DOB", "date of birth" or "birthday".

A date on its own is the stuff of every chronology ("seen on 3 March") and is left alone; next to a
birth word it narrows down a child, even as a day and month or a month and year only ("born in July
2016"). Dates are read in the shapes people type them: 14/07/2016, 2016-07-14, 14-Jul-2016,
"the 14th of July", "July 14, 2016", and run-together digits that make a real date (14072016).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from bot.privacy.findings import Candidate, IdentifierKind
from bot.privacy.vocabulary import MONTHS

__all__ = ["dates_of_birth"]

# Full month names, or abbreviations with an optional full stop ("Feb."); the longest first so
# "September" is not read as "Sep".
_MONTH = (
    r"(?:"
    + "|".join(sorted(MONTHS[:12], key=len, reverse=True))
    + r"|(?:"
    + "|".join(sorted(MONTHS[12:], key=len, reverse=True))
    + r")\.?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|'\d{2}|\d{2})"
_DATE = re.compile(
    r"\b(?:"
    r"\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}"  # 2016-07-14, 2016/07/14
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # 14/07/2016, 14.07.16, 14-7-16
    r"|\d{1,2}[/.\-]" + _MONTH + r"[/.\-](?:\d{4}|\d{2})"  # 14-Jul-2016
    r"|\d{8}|\d{6}"  # 20160714, 14072016, 140716 (checked below)
    rf"|(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"  # 14th of July 2016, 14 July
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"  # July 14, 2016
    rf"|{_MONTH}\s+\d{{4}}"  # July 2016
    r")(?!\w)",
    re.IGNORECASE,
)
_BIRTH_WORD = re.compile(
    r"\b(?:born|birthday|birthdate|birth\s+date|date\s+of\s+birth|d\.?\s?o\.?\s?b\b\.?)", re.IGNORECASE
)
# "b. 14/07/2016", "b.14/7/16": a lone b counts only right before a date.
_B_DOT = re.compile(r"(?<![\w.])b\.?\s?$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.!?;]\s|\n")
_BEFORE_WINDOW = 30  # characters between "born" and the date: "born at 32 weeks on 1 May 2020"
_AFTER_WINDOW = 12  # characters between the date and a trailing "(DOB)"


def _compact_date_ok(digits: str) -> bool:
    """Eight or six digits that read as a real date: YYYYMMDD, DDMMYYYY or DDMMYY."""
    candidates = []
    if len(digits) == 8:
        candidates = [(digits[:4], digits[4:6], digits[6:]), (digits[4:], digits[2:4], digits[:2])]
    elif len(digits) == 6:
        candidates = [("20" + digits[4:], digits[2:4], digits[:2])]
    for year, month, day in candidates:
        try:
            date(int(year), int(month), int(day))
        except ValueError:
            continue
        if 1900 <= int(year) <= 2100:
            return True
    return False


def dates_of_birth(text: str) -> Iterator[Candidate]:
    """Dates that sit next to a birth word in the same clause.

    A date on its own is the stuff of every chronology ("seen on 3 March") and is left alone; a
    date near "born", "DOB", "date of birth" or "birthday" is treated as a date of birth, including
    day-and-month or month-and-year only, since either narrows down a child.
    """
    keywords = [m.span() for m in _BIRTH_WORD.finditer(text)]
    for m in _DATE.finditer(text):
        start, end = m.span()
        if m.group().isdigit() and not _compact_date_ok(m.group()):
            continue
        if _B_DOT.search(text, max(0, start - 4), start):
            yield IdentifierKind.DATE_OF_BIRTH, start, end
            continue
        for k_start, k_end in keywords:
            if k_end <= start:
                gap = text[k_end:start]
                near = len(gap) <= _BEFORE_WINDOW
            elif k_start >= end:
                gap = text[end:k_start]
                near = len(gap) <= _AFTER_WINDOW
            else:
                continue
            if near and not _CLAUSE_END.search(gap):
                yield IdentifierKind.DATE_OF_BIRTH, start, end
                break
