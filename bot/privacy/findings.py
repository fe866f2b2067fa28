"""What the identifier guard reports, and how it explains a finding without repeating the text.

A :class:`Finding` carries only the kind of identifier and where it sits, never what it says, so a
:class:`GuardResult` can be logged or shown and a refusal explained ("word 3 looks like a person's
name") without quoting what was refused. The wording here names each kind in plain English and says
what to write instead (a pseudonym, an age, "the family home").

:data:`Candidate` and :data:`Span` are what the recognisers in this package pass about before
:func:`bot.privacy.guard.scan` turns the survivors into findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Candidate",
    "Finding",
    "GuardMode",
    "GuardResult",
    "IdentifierKind",
    "Span",
    "explain",
    "touches",
]


class IdentifierKind(StrEnum):
    FULL_NAME = "full_name"
    DATE_OF_BIRTH = "date_of_birth"
    NHS_NUMBER = "nhs_number"
    NATIONAL_INSURANCE = "national_insurance_number"
    POSTCODE = "postcode"
    PHONE_NUMBER = "phone_number"
    EMAIL = "email"
    STREET_ADDRESS = "street_address"
    SCHOOL_NAME = "school_name"


class GuardMode(StrEnum):
    """What a partnership wants done with identifying text: refuse it, or accept it with a warning."""

    REFUSE = "refuse"
    WARN = "warn"


@dataclass(frozen=True, slots=True)
class Finding:
    """One suspected identifier: its kind and where it is, never what it says.

    ``start``/``end`` are character offsets into the checked text (end exclusive) so a form can
    highlight the spot; ``word`` is the 1-based number of the word it starts in, so a message can
    say "word 3" to someone who cannot see offsets.
    """

    kind: IdentifierKind
    start: int
    end: int
    word: int


@dataclass(frozen=True, slots=True)
class GuardResult:
    """The verdict on one piece of text, safe to log or show: it holds no part of the text.

    ``ok`` is False only when the mode is refuse and something was found. ``message`` is the whole
    plain-English explanation (empty when nothing was found); ``warnings`` and ``refusal`` are the
    same advice split for callers that show warnings one by one or put a refusal in a modal error.
    """

    ok: bool
    mode: GuardMode
    findings: tuple[Finding, ...]
    message: str

    @property
    def warnings(self) -> tuple[str, ...]:
        if self.mode is not GuardMode.WARN:
            return ()
        return tuple(_kind_sentence(kind, words) for kind, words in _group(self.findings))

    @property
    def refusal(self) -> str | None:
        return None if self.ok else self.message

    def __str__(self) -> str:
        return self.message


# --- what each kind is called and what to write instead --------------------------------------------

_KIND_LABEL: dict[IdentifierKind, str] = {
    IdentifierKind.FULL_NAME: "a person's name",
    IdentifierKind.DATE_OF_BIRTH: "a date of birth",
    IdentifierKind.NHS_NUMBER: "an NHS or CHI number",
    IdentifierKind.NATIONAL_INSURANCE: "a national insurance number",
    IdentifierKind.POSTCODE: "a postcode",
    IdentifierKind.PHONE_NUMBER: "a phone number",
    IdentifierKind.EMAIL: "an email address",
    IdentifierKind.STREET_ADDRESS: "a street address",
    IdentifierKind.SCHOOL_NAME: "a school's name",
}

_KIND_ADVICE: dict[IdentifierKind, str] = {
    IdentifierKind.FULL_NAME: "Use the pseudonym ('Child A', 'Mother', 'the school') rather than a name.",
    IdentifierKind.DATE_OF_BIRTH: "Give the child's age (for example 'aged 3') rather than a date of birth.",
    IdentifierKind.NHS_NUMBER: "Leave the NHS or CHI number out; the case reference is enough here.",
    IdentifierKind.NATIONAL_INSURANCE: "Leave the national insurance number out; the case reference is "
    "enough here.",
    IdentifierKind.POSTCODE: "Describe the place in general terms ('the family home', 'the town') "
    "rather than a postcode.",
    IdentifierKind.PHONE_NUMBER: "Leave phone numbers out; say who to contact by role (for example "
    "'the police lead').",
    IdentifierKind.EMAIL: "Leave email addresses out; name the contact by role or @-mention them in Slack.",
    IdentifierKind.STREET_ADDRESS: "Write 'the family home' or 'the address known to police' rather than "
    "the address.",
    IdentifierKind.SCHOOL_NAME: "Write 'the school' or 'the nursery' rather than its name.",
}

_WHY = (
    "ReviewBot only keeps case references and pseudonyms, never details that could identify a child "
    "or family, because it is not the case record and its messages reach people outside the case."
)


def _words(numbers: list[int]) -> str:
    unique = sorted(set(numbers))
    if len(unique) == 1:
        return f"word {unique[0]}"
    return "words " + ", ".join(str(n) for n in unique[:-1]) + f" and {unique[-1]}"


def _group(findings: Iterable[Finding]) -> list[tuple[IdentifierKind, list[int]]]:
    """Findings grouped by kind, in order of first appearance, with the words each kind sits in."""
    grouped: dict[IdentifierKind, list[int]] = {}
    for finding in findings:
        grouped.setdefault(finding.kind, []).append(finding.word)
    return list(grouped.items())


def _kind_sentence(kind: IdentifierKind, words: list[int]) -> str:
    where = _words(words)
    verb = "looks" if len(set(words)) == 1 else "look"
    return f"{where[0].upper()}{where[1:]} {verb} like {_KIND_LABEL[kind]}. {_KIND_ADVICE[kind]}"


def explain(mode: GuardMode, findings: tuple[Finding, ...]) -> str:
    groups = _group(findings)
    what = [f"{_KIND_LABEL[kind]} ({_words(words)})" for kind, words in groups]
    listed = what[0] if len(what) == 1 else ", ".join(what[:-1]) + " and " + what[-1]
    advice = " ".join(_KIND_ADVICE[kind] for kind, _ in groups)
    if mode is GuardMode.REFUSE:
        return (
            f"This can't be saved because it looks like it contains {listed}. {_WHY} {advice} "
            "Please change it and submit again."
        )
    return (
        f"Please check this: it looks like it may contain {listed}. {_WHY} {advice} "
        "If it is not identifying (for example a job title or an agency's name), it can stay as it is."
    )


# --- what the recognisers pass about ----------------------------------------------------------------

Candidate = tuple[IdentifierKind, int, int]
Span = tuple[int, int]


def touches(start: int, end: int, spans: Iterable[Span]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)
