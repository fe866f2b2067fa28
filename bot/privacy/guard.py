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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from bot.privacy.dates_of_birth import dates_of_birth
from bot.privacy.findings import (
    Candidate,
    Finding,
    GuardMode,
    GuardResult,
    IdentifierKind,
    Span,
    explain,
    touches,
)
from bot.privacy.forenames import FORENAMES, SURNAMES, WORDLIKE_FORENAMES
from bot.privacy.lexicon import DOMAIN_WORDS, PLACE_WORDS, is_domain_word, is_english
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
from bot.privacy.vocabulary import NOT_SURNAMES, WEEKDAYS

__all__ = [
    "Finding",
    "GuardMode",
    "GuardResult",
    "IdentifierKind",
    "check_length",
    "guard",
    "has_unstorable_characters",
    "is_valid_chi_number",
    "is_valid_nhs_number",
    "is_valid_ni_number",
    "looks_like_pseudonym",
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
        *_full_names(norm, allowed),
    ]
    findings = []
    for kind, start, end in _without_overlaps(candidates):
        start, end = folded.span(start, end)
        findings.append(Finding(kind=kind, start=start, end=end, word=_word_number(text, start)))
    return findings


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


# Title case only: upper-case "MS" is as likely to be Microsoft ("MS Teams") or multiple sclerosis.
_TITLE_WORDS = frozenset("Mr Mrs Ms Miss Mx Dr Prof Master Rev Revd Sir Dame".split())
_PARTICLES = frozenset(
    "van von der den de del della di da du dos das le la bin binti ibn al el ter ap".split()
)


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


# --- names ------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*(?:-[^\W\d_]+(?:'[^\W\d_]+)*)*")
_RELATIONS = frozenset(
    """
    mother father mum dad stepfather stepmother stepdad stepmum partner ex-partner boyfriend girlfriend
    husband wife brother sister half-brother half-sister sibling son daughter uncle aunt auntie cousin
    nephew niece grandmother grandfather grandma grandad grandpa nan nana neighbour lodger friend carer
    childminder babysitter
    """.split()
)
_NAME_CUE = re.compile(r"(?:\bknown\s+as|\baka|\bnamed|\bcalled|\bn[eé]e)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Word:
    """What the guard knows about one word, whatever its case."""

    never: bool  # function word, safeguarding vocabulary, month, weekday: never part of a name
    place: bool
    forename: bool
    wordlike: bool  # a forename that is also an ordinary word ("Grace", "Will")
    surname: bool
    english: bool

    @property
    def unknown(self) -> bool:
        return not (self.never or self.place or self.english or self.forename or self.surname)

    @property
    def namelike(self) -> bool:
        return not self.never and (self.forename or self.surname or self.unknown)


@cache
def _word(token: str) -> _Word:
    bare = token.removesuffix("'s").removesuffix("'")
    title = bare[:1].upper() + bare[1:].lower() if bare.isupper() or bare.islower() else bare
    parts = [p for p in title.split("-") if p]
    lower = bare.lower()
    never = (
        len(bare) < 2
        or title in NOT_SURNAMES
        or title in WEEKDAYS
        or lower in DOMAIN_WORDS
        or title in _TITLE_WORDS
        or lower in _PARTICLES
    )
    forename = title in FORENAMES or any(p.capitalize() in FORENAMES for p in parts)
    wordlike = forename and (
        title in WORDLIKE_FORENAMES or all(p.capitalize() in WORDLIKE_FORENAMES for p in parts)
    )
    surname = title in SURNAMES or (len(parts) > 1 and any(p.capitalize() in SURNAMES for p in parts))
    place = lower in PLACE_WORDS or (len(parts) > 1 and all(p.lower() in PLACE_WORDS for p in parts))
    english = is_english(bare) or is_domain_word(bare)
    return _Word(
        never=never, place=place, forename=forename, wordlike=wordlike, surname=surname, english=english
    )


@cache
def _case(token: str) -> str:
    """"upper" ("SMITH"), "initial" ("A"), "cap" ("Smith", "McDonald"), "lower" or "other"."""
    if token.isupper():
        return "upper" if sum(c.isalpha() for c in token) > 1 else "initial"
    if token[:1].isupper():
        return "cap"
    if token.islower():
        return "lower"
    return "other"


def _acronym(token: str) -> bool:
    """An upper-case token that reads as an acronym rather than a surname in capitals."""
    letters = token.replace("'", "").replace("-", "")
    return len(letters) <= 2 or not any(c in "AEIOUY" for c in letters) or letters.lower() in DOMAIN_WORDS


def _pair_is_name(a: str, b: str, mid_sentence: bool) -> bool:
    """Do two neighbouring words, each capitalised or in capitals, read as a person's name?"""
    wa, wb = _word(a), _word(b)
    if wa.never or wb.never:
        return False
    if (_case(a) == "upper" and _acronym(a)) or (_case(b) == "upper" and _acronym(b)):
        return False
    if wa.forename and not wa.wordlike:
        return not wb.place or wb.surname or wb.forename  # "Jane Smith", "Jessica Testperson"
    if wa.forename:  # "Grace Testperson", not "Grace Period"
        return wb.unknown or wb.surname or (wb.forename and not wb.wordlike)
    if wa.unknown:  # "Oluwaseun Adeyemi", "Kwame Brown"
        return wb.unknown or wb.surname or wb.forename
    if wa.surname:  # "Nguyen Thi", "SMITH Jane"
        return wb.unknown or (wb.forename and not wb.wordlike)
    # an ordinary word, capitalised mid-sentence, before an unknown one: "as Precious Nwosu"
    return mid_sentence and wa.english and not wa.place and wb.unknown and _case(a) == "cap"


def _lower_pair_is_name(a: str, b: str) -> bool:
    """Names typed in lower case: "jane smith", "oluwaseun adeyemi", "Oluwaseun adeyemi"."""
    wa, wb = _word(a), _word(b)
    if wa.never or wb.never or wa.place or wb.place:
        return False
    if wa.forename and not wa.wordlike:
        return wb.surname or wb.unknown
    return wa.unknown and wb.unknown and len(a) >= 4 and len(b) >= 4


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'(“‘*•-–")
    return not before or before[-1] in ".!?:;\n" or bool(re.search(r"(?:^|\s)\d+[.)]$", before))


def _full_names(text: str, allowed: list[Span]) -> Iterator[Candidate]:
    """Names in the shapes people write them.

    "Mrs Doe" (a title and a capitalised word), "Jane Doe" and "Oluwaseun Adeyemi" (neighbouring
    capitalised words that read as a name, see :func:`_pair_is_name`), "SMITH, Jane" and "Doe, Jane"
    (surname, comma, forename), "Jane SMITH", names in lower case ("jane smith"), and one name after a
    relation or a cue ("her stepfather, Kwame,", "known as Big Dave"). Words inside an allowed term
    never count. A single capital ("Child A", "Mr A") is a pseudonym, never a name.
    """
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    found: list[Span] = []

    def usable(i: int) -> bool:
        return not touches(tokens[i][1], tokens[i][2], allowed)

    def gap(i: int) -> str:
        return text[tokens[i][2] : tokens[i + 1][1]]

    def extend(j: int, limit: int = 2) -> int:
        """Stretch a name over up to ``limit`` more name-shaped capitalised words."""
        for _ in range(limit):
            if j + 1 >= len(tokens) or gap(j) != " " or not usable(j + 1):
                break
            nxt = tokens[j + 1][0]
            if _case(nxt) not in ("cap", "upper") or not _word(nxt).namelike:
                break
            if _case(nxt) == "upper" and _acronym(nxt):
                break
            j += 1
        return j

    n = len(tokens)
    i = 0
    while i < n:
        tok, start, _end = tokens[i]
        case = _case(tok)
        j = -1
        # a title, maybe particles, then a capitalised word: "Mrs Okonkwo", "Mr van der Merwe"
        if tok.capitalize() in _TITLE_WORDS and case in ("cap", "lower") and i + 1 < n:
            k = i + 1
            while (
                k < n
                and tokens[k][0] in _PARTICLES
                and text[tokens[k - 1][2] : tokens[k][1]].strip(". ") == ""
            ):
                k += 1
            if k < n and text[tokens[k - 1][2] : tokens[k][1]].strip(". ") == "" and usable(k):
                nxt = tokens[k][0]
                w = _word(nxt)
                ok_case = _case(nxt) in ("cap", "upper") or (case == "lower" and (w.surname or w.unknown))
                if ok_case and not w.never and not (_case(nxt) == "upper" and _acronym(nxt)):
                    j = extend(k)
        elif i + 1 < n and usable(i) and usable(i + 1) and len(tok) > 1:
            sep = gap(i)
            nxt = tokens[i + 1][0]
            both_shaped = case in ("cap", "upper") and _case(nxt) in ("cap", "upper")
            if sep == " " and both_shaped:
                if _pair_is_name(tok, nxt, not _at_sentence_start(text, start)):
                    j = extend(i + 1)
            elif sep.strip() == "," and "\n" not in sep and both_shaped and _case(nxt) == "cap":
                wa, wb = _word(tok), _word(nxt)
                surname_first = (case == "upper" and not _acronym(tok) and wa.namelike) or (
                    case == "cap" and (wa.surname or wa.unknown) and not wa.never
                )
                if surname_first and not wb.never and (wb.forename or wb.unknown):
                    j = extend(i + 1, 1)  # "SMITH, Jane", "Nowak, Dariusz"
            elif sep == " " and (case == "lower" or _case(nxt) == "lower") and case != "upper":
                if _case(nxt) == "lower" and _lower_pair_is_name(tok, nxt):
                    j = i + 1
            if j < 0 and sep in (" ", ", ", ": ", " (", ", (") and _case(nxt) in ("cap", "upper"):
                # one name after a relation: "stepfather Tomasz", "her partner, Darnell"
                w = _word(nxt)
                cue = (tok.lower() in _RELATIONS and tok.lower() not in ("partner",)) or (
                    tok.lower() == "partner" and case == "lower"
                )
                # after a relation any capitalised word that is not practice vocabulary reads as a
                # name: "Father Dwayne", "stepfather, Tomasz"
                if cue and not w.never and not w.place and len(nxt) > 1:
                    if not (_case(nxt) == "upper" and _acronym(nxt)):
                        j = extend(i + 1)
                        start = tokens[i + 1][1]
        if j >= 0:
            found.append((start, tokens[j][2]))
            i = j + 1
            continue
        i += 1
    # after a cue ("known as", "called", "née"): the capitalised words that follow
    starts = {tok_start: index for index, (_tok, tok_start, _tok_end) in enumerate(tokens)}
    for m in _NAME_CUE.finditer(text):
        at = starts.get(m.end())
        if at is None:
            continue
        k = at
        if _case(tokens[k][0]) not in ("cap", "upper") or _word(tokens[k][0]).never:
            continue
        if not usable(k) or (_case(tokens[k][0]) == "upper" and _acronym(tokens[k][0])):
            continue
        found.append((tokens[k][1], tokens[extend(k)][2]))
    for start, end in found:
        yield IdentifierKind.FULL_NAME, start, end
