"""Identifier guard: spot free text that looks like it identifies a child or family.

ReviewBot coordinates a review; it is not the case record. It holds case references and pseudonyms
("Child A"), never names, dates of birth, addresses, schools or NHS numbers, because its messages
reach board channels, digests and people outside the case. Every free-text field goes through
:func:`guard` before it is stored or posted.

The checks are heuristics over plain text, tuned to catch the identifiers people actually type
("Mrs Jane Doe", "DOB 01/02/2020", "12 Acacia Avenue") without refusing ordinary safeguarding
prose ("Children's Services opened a section 47 enquiry"). They are a safety net, not a guarantee.

Nothing here keeps, returns or logs the text it looked at: a :class:`Finding` carries only the kind
of identifier and where it sits, so a refusal can be explained without repeating what was refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from bot.privacy.forenames import FORENAMES, WORDLIKE_FORENAMES

__all__ = [
    "Finding",
    "GuardMode",
    "GuardResult",
    "IdentifierKind",
    "check_length",
    "guard",
    "is_valid_nhs_number",
    "looks_like_pseudonym",
    "scan",
]


class IdentifierKind(StrEnum):
    FULL_NAME = "full_name"
    DATE_OF_BIRTH = "date_of_birth"
    NHS_NUMBER = "nhs_number"
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


def _explain(mode: GuardMode, findings: tuple[Finding, ...]) -> str:
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


# --- public API -------------------------------------------------------------------------------------


def guard(text: str, *, mode: GuardMode = GuardMode.REFUSE, allowed_terms: Iterable[str] = ()) -> GuardResult:
    """Check free text before it is stored or posted, and say in plain English what to change."""
    findings = tuple(scan(text, allowed_terms=allowed_terms))
    if not findings:
        return GuardResult(ok=True, mode=mode, findings=(), message="")
    return GuardResult(
        ok=mode is GuardMode.WARN, mode=mode, findings=findings, message=_explain(mode, findings)
    )


def scan(text: str, *, allowed_terms: Iterable[str] = ()) -> list[Finding]:
    """Every suspected identifier in ``text``, in reading order, without overlaps.

    ``allowed_terms`` are phrases the partnership knows are safe (agency and team names such as
    "Grace House Family Centre"); name, school and street findings that touch one are dropped.
    Numbers, emails, postcodes and dates of birth are never excused by an allowed term.
    """
    # Curly apostrophes become straight ones so patterns need one spelling; the length is unchanged,
    # so offsets still point into the caller's text.
    norm = text.replace("\u2019", "'")
    allowed = _allowed_spans(norm, allowed_terms)
    candidates: list[tuple[IdentifierKind, int, int]] = [
        *_emails(norm),
        *_nhs_numbers(norm),
        *_phone_numbers(norm),
        *_postcodes(norm),
        *_dates_of_birth(norm),
        *_street_addresses(norm, allowed),
        *_school_names(norm, allowed),
        *_full_names(norm, allowed),
    ]
    return [
        Finding(kind=kind, start=start, end=end, word=_word_number(norm, start))
        for kind, start, end in _without_overlaps(candidates)
    ]


def is_valid_nhs_number(digits: str) -> bool:
    """True when ten digits pass the NHS modulus 11 check (also used by Scotland's CHI number).

    Spaces and hyphens are ignored. Weights 10..2 apply to the first nine digits; the check digit is
    11 minus the remainder, 11 becomes 0, and 10 means the number can never be valid.
    """
    plain = digits.replace(" ", "").replace("-", "")
    if len(plain) != 10 or not plain.isascii() or not plain.isdecimal():
        return False
    total = sum(int(d) * w for d, w in zip(plain[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(plain[9])


PSEUDONYM_MAX_LENGTH = 24

_PSEUDONYM = re.compile(
    r"(?:Child|Baby|Infant|Sibling|Young Person|YP|Adult|Parent|Carer|Mother|Father|Brother|Sister"
    r"|Family)\s+(?:[A-Z]{1,2}\d{0,2}|[1-9]\d?)",
    re.IGNORECASE,
)
_PSEUDONYM_TAIL = re.compile(r"(?:[A-Z]{1,2}\d{0,2}|[1-9]\d?)$")


def looks_like_pseudonym(text: str) -> bool:
    """True for pseudonyms of the agreed shape: "Child A", "Child AB", "Sibling 1", "Baby C".

    The pseudonym field is the one place a child is referred to, so it accepts only a role word and
    a letter or number (capital letters, so "Child a" is not mistaken for the start of a sentence),
    at most 24 characters, and nothing the identifier guard would flag.
    """
    candidate = " ".join(text.split())
    if not candidate or len(candidate) > PSEUDONYM_MAX_LENGTH:
        return False
    if not _PSEUDONYM.fullmatch(candidate) or not _PSEUDONYM_TAIL.search(candidate):
        return False
    return not scan(candidate)


def check_length(text: str, limit: int) -> str | None:
    """None when ``text`` fits in ``limit`` characters, else a plain-English message saying by how much.

    Slack cuts long inputs and Block Kit rejects long fields, so over-long text is refused with a
    count rather than silently truncated. The message never quotes the text.
    """
    if limit <= 0:
        raise ValueError("limit must be a positive number of characters")
    length = len(text)
    if length <= limit:
        return None
    over = length - limit
    return (
        f"This is {length} characters long and the limit here is {limit}. "
        f"Please shorten it by {over} character{'s' if over != 1 else ''}."
    )


# --- shared vocabulary ------------------------------------------------------------------------------

_MONTHS = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
).split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

# Capitalised words that appear in safeguarding prose and are not surnames. A forename followed by
# one of these is not a full name ("Will Police attend?", "Grace Period", "Jack Children's Services").
_NOT_SURNAMES = frozenset(
    """
    The A An And Or But If To From With For Of In On At By As It Its This That These Those Is Was Were
    Has Had Have Will Would Could Should Can May Must Might Did Does Do Not No Yes He She They We You
    His Her Their Our My Your Him Them Us Who What When Where Why How Then Than Also Please Thanks
    Police Constabulary Council Services Service Social Care Children Children's Child Child's Health
    Team Board Panel Partnership Partners Partner Safeguarding Review Reviews Rapid Early Help Court
    Family Families Education School Schools Academy College Nursery Hospital Hospitals Trust NHS ICB
    Unit Department Office Officer Centre Center Agency Agencies Probation Youth Justice Local
    Authority Designated Named Nurse Doctor Midwife Midwifery Visitor Visiting Ward Emergency Ambulance
    Fire Rescue Housing Mental Drug Drugs Alcohol Domestic Abuse Strategy Meeting Meetings Conference
    Plan Plans Protection Initial Case Cases Group Groups Chair Business Manager Managers Lead Leads
    Practitioner Practitioners National Scotland Wales England Ireland Northern Government Ofsted
    Inspectorate Scrutiny Independent Serious Incident Notification Learning Practice Action Actions
    Report Reports Summary Chronology Terms Reference Section Sign Approved Pending Overdue Due Complete
    Completed Red Amber Rating Status Update Updates Days Week Weeks Working Bank Holiday
    Christmas Easter Mother Father Mum Dad Sibling Siblings Baby Stepfather Stepmother Grandmother
    Grandfather Grandparent Grandparents Carer Carers Parent Parents Adult Adults Person People
    Street Road Avenue Drive Close Crescent Terrace Gardens Mews Square Primary Secondary Infant Junior
    Community Safety Period Sunday Monday Tuesday Wednesday Thursday Friday Saturday General Practice
    Surgery Clinic Paediatric Paediatrics Paediatrician Consultant Registrar Sergeant Inspector
    Detective Constable Superintendent Commissioner Headteacher Teacher Deputy Acting Interim
    Senior Principal Assistant Director Executive Chief Commissioning Integrated Multi Agency MASH
    Teams Zoom
    """.split()
) | frozenset(_MONTHS)

# Title case only: upper-case "MS" is as likely to be Microsoft ("MS Teams") or multiple sclerosis.
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)"
# A surname-shaped word: capitalised with lower-case letters, allowing O'Brien, McDonald, Smith-Jones.
_SURNAME = r"(?:[A-Z]')?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)*"
_FORENAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)*"

_Candidate = tuple[IdentifierKind, int, int]
_Span = tuple[int, int]


def _allowed_spans(text: str, terms: Iterable[str]) -> list[_Span]:
    spans: list[_Span] = []
    for term in terms:
        phrase = " ".join(term.replace("\u2019", "'").split())
        if not phrase:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(part) for part in phrase.split()) + r"(?!\w)"
        spans.extend(m.span() for m in re.finditer(pattern, text, re.IGNORECASE))
    return spans


def _touches(start: int, end: int, spans: Iterable[_Span]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def _word_number(text: str, start: int) -> int:
    """1-based number of the whitespace-separated word that contains offset ``start``."""
    return max(1, len(re.findall(r"\S+", text[: start + 1])))


def _without_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the earliest, then longest, candidate wherever two overlap.

    Ties keep the kind listed first in :func:`scan` (an NHS number beats the phone number the same
    digits could also be), because list.sort is stable.
    """
    ordered = sorted(candidates, key=lambda c: (c[1], -(c[2] - c[1])))
    kept: list[_Candidate] = []
    for kind, start, end in ordered:
        if kept and start < kept[-1][2]:
            continue
        kept.append((kind, start, end))
    return kept


# --- contact details and numbers --------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")


def _emails(text: str) -> Iterator[_Candidate]:
    for m in _EMAIL.finditer(text):
        yield IdentifierKind.EMAIL, m.start(), m.end()


# Ten digits, run together or grouped 3-3-4 with one kind of separator (as printed on NHS letters).
_TEN_DIGITS = re.compile(r"(?<![\d+])(\d{3})([ -]?)(\d{3})\2(\d{4})(?!\d)")


def _nhs_numbers(text: str) -> Iterator[_Candidate]:
    for m in _TEN_DIGITS.finditer(text):
        if is_valid_nhs_number(m.group(1) + m.group(3) + m.group(4)):
            yield IdentifierKind.NHS_NUMBER, m.start(), m.end()


# +44 or a leading 0, then a UK national number of 9-10 digits starting 1, 2, 3 (landlines and
# non-geographic), 7 (mobiles) or 8 (freephone), with single spaces, hyphens or brackets between.
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)[1-378](?:[ \-()]{0,2}\d){8,9}(?!\d)")


def _phone_numbers(text: str) -> Iterator[_Candidate]:
    for m in _PHONE.finditer(text):
        yield IdentifierKind.PHONE_NUMBER, m.start(), m.end()


# Outward code (lenient) and inward code (strict: the inward letters never include C I K M O V,
# which also keeps "5ml" and "2mg" out).
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)
_LOWER_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)$")


def _postcodes(text: str) -> Iterator[_Candidate]:
    for m in _POSTCODE.finditer(text):
        # "KS2 3rd", "A1 2nd": lower-case ordinals are prose, not the inward half of a postcode.
        if _LOWER_ORDINAL.search(m.group()):
            continue
        yield IdentifierKind.POSTCODE, m.start(), m.end()


# --- dates of birth ---------------------------------------------------------------------------------

# Full month names, or abbreviations with an optional full stop ("Feb."); the longest first so
# "September" is not read as "Sep".
_MONTH = (
    r"(?:"
    + "|".join(sorted(_MONTHS[:12], key=len, reverse=True))
    + r"|(?:"
    + "|".join(sorted(_MONTHS[12:], key=len, reverse=True))
    + r")\.?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DATE = re.compile(
    r"\b(?:"
    r"\d{4}-\d{1,2}-\d{1,2}"  # 2020-02-01
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # 01/02/2020, 1.2.20
    rf"|(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+\d{{4}})?"  # 1st of February 2020, 1 Feb
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?"  # February 1st, 2020
    rf"|{_MONTH}\s+\d{{4}}"  # February 2020
    r")(?!\w)",
    re.IGNORECASE,
)
_BIRTH_WORD = re.compile(
    r"\b(?:born|birthday|birthdate|birth\s+date|date\s+of\s+birth|d\.?\s?o\.?\s?b\b\.?)", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"[.!?;]\s|\n")
_BEFORE_WINDOW = 30  # characters between "born" and the date: "born at 32 weeks on 1 May 2020"
_AFTER_WINDOW = 12  # characters between the date and a trailing "(DOB)"


def _dates_of_birth(text: str) -> Iterator[_Candidate]:
    """Dates that sit next to a birth word in the same clause.

    A date on its own is the stuff of every chronology ("seen on 3 March") and is left alone; a
    date near "born", "DOB", "date of birth" or "birthday" is treated as a date of birth, including
    day-and-month or month-and-year only, since either narrows down a child.
    """
    keywords = [m.span() for m in _BIRTH_WORD.finditer(text)]
    if not keywords:
        return
    for m in _DATE.finditer(text):
        start, end = m.span()
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


# --- names, schools and addresses -------------------------------------------------------------------

_STREET_SUFFIX = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|Crescent|Court|Ct|Place|Pl|Gardens|Terrace"
    r"|Grove|Row|Walk|Mews|Square|Hill|Rise|View|Parade|Green|Vale|Park|Wynd|Brae|Croft|Gate|Wharf|Quay"
    r"|Fold|Heights|Meadows?)"
)
_STREET = re.compile(
    r"\b\d{1,4}[A-Za-z]?(?:\s*[-–]\s*\d{1,4}[A-Za-z]?)?,?\s+"
    r"(?P<words>(?:(?:St|Saint)\.?\s+)?(?:[A-Z][a-z']+\s+){1,3})"
    rf"{_STREET_SUFFIX}\b"
)
_FLAT = re.compile(
    r"\b(?:Flat|flat|Apartment|Apt\.?)\s+\d{1,4}[A-Za-z]?\b(?!\s*(?:miles?|metres?|meters?|km|%|per\b|x\b))"
)
# "Crown Court", "Family Court": courts, not addresses, when a number happens to come before them.
_COURT_TYPES = frozenset(
    "Crown Family Youth Magistrates Magistrates' County High Sheriff Coroner's Coroners".split()
)


def _street_addresses(text: str, allowed: list[_Span]) -> Iterator[_Candidate]:
    for m in _STREET.finditer(text):
        words = m.group("words").split()
        if m.group().rstrip().endswith("Court") and words and words[-1] in _COURT_TYPES:
            continue
        if not _touches(m.start("words"), m.end(), allowed):
            yield IdentifierKind.STREET_ADDRESS, m.start(), m.end()
    for m in _FLAT.finditer(text):
        yield IdentifierKind.STREET_ADDRESS, m.start(), m.end()


_SCHOOL = re.compile(
    r"\b(?P<words>(?:(?:St|Saint)\.?\s+)?(?:[A-Z][a-z]+(?:'s)?\s+){1,4})"
    r"(?:(?:C\s?of\s?E|CE|RC|VA|VC)\s+)?"
    r"(?:School|Academy|College|Nursery)\b"
)
# Words that describe a school without naming it: "the Virtual School", "her Primary School".
_GENERIC_SCHOOL_WORDS = frozenset(
    """
    St Saint Primary Secondary High Junior Infant Infants Nursery Community Catholic Church Free
    Special Grammar Middle Upper Lower Preparatory Prep Academy Virtual Further Sixth Form Years
    Previous Former Current New Same Local Independent Residential Royal Day Boarding Pupil Referral
    """.split()
)


def _school_names(text: str, allowed: list[_Span]) -> Iterator[_Candidate]:
    for m in _SCHOOL.finditer(text):
        words = [w.removesuffix("'s") for w in m.group("words").split()]
        distinctive = [w for w in words if w not in _GENERIC_SCHOOL_WORDS and w not in _NOT_SURNAMES]
        if distinctive and not _touches(m.start(), m.end(), allowed):
            yield IdentifierKind.SCHOOL_NAME, m.start(), m.end()


_TITLED_NAME = re.compile(rf"\b{_TITLES}\.?\s+(?P<surname>{_SURNAME})")
_FORENAME_PAIR = re.compile(rf"\b(?P<forename>{_FORENAME})\s+(?P<surname>{_SURNAME})")
_NEXT_NAME_WORD = re.compile(rf" (?P<word>{_SURNAME})\b")
_SENTENCE_OPENERS = frozenset(".!?:;\n\"'(“‘•*-–")


def _is_surname(word: str) -> bool:
    return word not in _NOT_SURNAMES and word not in _WEEKDAYS


def _extend_name(text: str, end: int, allowed: list[_Span]) -> int:
    """Stretch a name over up to two more name-shaped words ("Jane Elizabeth Doe-Smith")."""
    for _ in range(2):
        m = _NEXT_NAME_WORD.match(text, end)
        if not m or not _is_surname(m.group("word")) or _touches(m.start("word"), m.end(), allowed):
            break
        end = m.end()
    return end


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[:pos]
    stripped = before.rstrip()
    if not stripped or "\n" in before[len(stripped) :]:
        return True
    return stripped[-1] in _SENTENCE_OPENERS or bool(re.search(r"(?:^|\s)\d+[.)]$", stripped))


def _full_names(text: str, allowed: list[_Span]) -> Iterator[_Candidate]:
    """Names in the two shapes people write them: "Mrs Doe" and "Jane Doe".

    A title followed by a surname-shaped word is a name ("Mr A" is a pseudonym and is not matched,
    because a surname needs lower-case letters). Otherwise the first word must be a known forename
    and the second a capitalised word that is not a domain or function word, a weekday, a month or
    an allowed term. Forenames that are also English words ("Will", "Grace") count only mid-sentence.
    """
    for m in _TITLED_NAME.finditer(text):
        if _is_surname(m.group("surname")) and not _touches(m.start("surname"), m.end(), allowed):
            yield IdentifierKind.FULL_NAME, m.start(), _extend_name(text, m.end(), allowed)
    for m in re.finditer(_FORENAME, text):
        pair = _FORENAME_PAIR.match(text, m.start())
        if not pair:
            continue
        forename = pair.group("forename")
        if not any(part in FORENAMES for part in forename.split("-")):
            continue
        if forename in WORDLIKE_FORENAMES and _at_sentence_start(text, pair.start()):
            continue
        if not _is_surname(pair.group("surname")) or _touches(pair.start(), pair.end(), allowed):
            continue
        yield IdentifierKind.FULL_NAME, pair.start(), _extend_name(text, pair.end(), allowed)
