"""Identifier guard: spot free text that looks like it identifies a child or family.

ReviewBot coordinates a review; it is not the case record. It holds case references and pseudonyms
("Child A"), never names, dates of birth, addresses, schools or NHS numbers, because its messages
reach board channels, digests and people outside the case. Every free-text field goes through
:func:`guard` before it is stored or posted.

The checks are heuristics over plain text, tuned to catch the identifiers people actually type
("Mrs Jane Doe", "DOB 01/02/2020", "12 Acacia Avenue") without refusing ordinary safeguarding
prose ("Children's Services opened a section 47 enquiry"). They are a safety net, not a guarantee.

Text is folded first (bot/privacy/normalise.py: NFKC, zero-width characters and soft hyphens
removed, accents and lookalike letters mapped to Latin), so "Оluwaseun" with a Cyrillic O, fullwidth
digits or "No\u200bwak" read as what they look like; findings still point into the original text.

Names are found by shape and vocabulary rather than by a list of common names: two capitalised
words that are neither English nor safeguarding vocabulary (bot/privacy/lexicon.py) are a name,
whatever its origin; a known forename or surname (bot/privacy/forenames.py) covers names that are
also English words. Numbers are checked, not just matched: NHS and CHI numbers by their modulus 11
check digit in any grouping, national insurance numbers by their prefix rules. docs/privacy-guard.md
has the choices and the measured figures.

Nothing here keeps, returns or logs the text it looked at: a :class:`Finding` carries only the kind
of identifier and where it sits, so a refusal can be explained without repeating what was refused.

This module is the public API (:func:`guard`, :func:`scan`, :func:`has_unstorable_characters`) and
the orchestration: fold the text, find the allowed terms, run every recogniser, keep one finding
wherever two overlap and map spans back to the text as typed. The recognisers live beside it:
bot/privacy/numbers.py (NHS, CHI and NI numbers, phone numbers, emails, postcodes),
dates_of_birth.py, places.py (street addresses, schools and nurseries) and names.py;
findings.py holds the finding types and their wording, vocabulary.py the words they share, and
pseudonyms.py the pseudonym field's shape and the length limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.privacy.dates_of_birth import dates_of_birth
from bot.privacy.findings import (
    Candidate,
    Finding,
    GuardMode,
    GuardResult,
    IdentifierKind,
    Span,
    explain,
)
from bot.privacy.names import full_names
from bot.privacy.normalise import normalise
from bot.privacy.numbers import (
    emails,
    is_valid_chi_number,
    is_valid_nhs_number,
    is_valid_ni_number,
    nhs_numbers,
    ni_numbers,
    phone_numbers,
    postcodes,
)
from bot.privacy.places import school_names, street_addresses

__all__ = [
    "Finding",
    "GuardMode",
    "GuardResult",
    "IdentifierKind",
    "guard",
    "has_unstorable_characters",
    "is_valid_chi_number",
    "is_valid_nhs_number",
    "is_valid_ni_number",
    "scan",
]


# --- public API -------------------------------------------------------------------------------------


UNSTORABLE_MESSAGE = (
    "This can't be saved because it contains a hidden control character (such as a NUL byte), "
    "usually from copying and pasting. Please retype the text and submit again."
)
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def has_unstorable_characters(text: str) -> bool:
    """Control characters other than tab and line breaks, or lone surrogates: never stored.

    PostgreSQL refuses NUL in text outright, and the others are invisible and never part of a real
    answer, so every free-text surface refuses them, in either guard mode.
    """
    return _UNSTORABLE.search(text) is not None


def guard(text: str, *, mode: GuardMode = GuardMode.REFUSE, allowed_terms: Iterable[str] = ()) -> GuardResult:
    """Check free text before it is stored or posted, and say in plain English what to change.

    Text with a NUL byte or another control character is refused in both modes (it cannot be stored).
    """
    if has_unstorable_characters(text):
        return GuardResult(ok=False, mode=mode, findings=(), message=UNSTORABLE_MESSAGE)
    findings = tuple(scan(text, allowed_terms=allowed_terms))
    if not findings:
        return GuardResult(ok=True, mode=mode, findings=(), message="")
    return GuardResult(
        ok=mode is GuardMode.WARN, mode=mode, findings=findings, message=explain(mode, findings)
    )


def scan(text: str, *, allowed_terms: Iterable[str] = ()) -> list[Finding]:
    """Every suspected identifier in ``text``, in reading order, without overlaps.

    ``allowed_terms`` are phrases the partnership knows are safe (agency and team names such as
    "Grace House Family Centre"); name, school and street findings that touch one are dropped.
    Numbers, emails, postcodes and dates of birth are never excused by an allowed term.
    """
    # Patterns run on the folded text (one spelling for lookalikes); spans are mapped back to the
    # caller's text at the end.
    folded = normalise(text)
    norm = folded.text
    allowed = _allowed_spans(norm, allowed_terms)
    candidates: list[tuple[IdentifierKind, int, int]] = [
        *emails(norm),
        *nhs_numbers(norm),
        *ni_numbers(norm),
        *phone_numbers(norm),
        *postcodes(norm),
        *dates_of_birth(norm),
        *street_addresses(norm, allowed),
        *school_names(norm, allowed),
        *full_names(norm, allowed),
    ]
    findings = []
    for kind, start, end in _without_overlaps(candidates):
        start, end = folded.span(start, end)
        findings.append(Finding(kind=kind, start=start, end=end, word=_word_number(text, start)))
    return findings


def _allowed_spans(text: str, terms: Iterable[str]) -> list[Span]:
    spans: list[Span] = []
    for term in terms:
        phrase = " ".join(normalise(term).text.split())
        if not phrase:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(part) for part in phrase.split()) + r"(?!\w)"
        spans.extend(m.span() for m in re.finditer(pattern, text, re.IGNORECASE))
    return spans


def _word_number(text: str, start: int) -> int:
    """1-based number of the whitespace-separated word that contains offset ``start``."""
    return max(1, len(re.findall(r"\S+", text[: start + 1])))


def _without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the earliest, then longest, candidate wherever two overlap.

    Ties keep the kind listed first in :func:`scan` (an NHS number beats the phone number the same
    digits could also be), because list.sort is stable.
    """
    ordered = sorted(candidates, key=lambda c: (c[1], -(c[2] - c[1])))
    kept: list[Candidate] = []
    for kind, start, end in ordered:
        if kept and start < kept[-1][2]:
            continue
        kept.append((kind, start, end))
    return kept
