"""Places that identify a family: street addresses, flats, and the names of schools and nurseries.

A street address is a house number and a street word ("12 Acacia Avenue", "31 st johns road",
"Flat 4"), or a named street after a preposition ("on Acacia Avenue"); a number before "Crown
Court" or "Family Court" is a hearing, not a home. A school is named by a distinctive word before
"School", "Academy", "Nursery" and the like ("Oakfield Primary School", "St Bede's Nursery"); words
that only describe one ("the Virtual School", "her Primary School", "the local primary school") name
nothing. Streets and schools are excused when they touch an allowed term, such as a family centre
the partnership names on purpose; a flat number never is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.findings import Candidate, IdentifierKind, Span, touches
from bot.privacy.lexicon import DOMAIN_WORDS, is_domain_word, is_english
from bot.privacy.vocabulary import NOT_SURNAMES

__all__ = ["school_names", "street_addresses"]

_STREET_SUFFIX = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|Crescent|Court|Ct|Place|Pl|Gardens|Terrace"
    r"|Grove|Row|Walk|Mews|Square|Hill|Rise|View|Parade|Green|Vale|Park|Wynd|Brae|Croft|Gate|Wharf|Quay"
    r"|Fold|Heights|Meadows?|Paddocks|House|Cottages|Villas|Mount|Chase|Dene|Boulevard|Grange|Estate)"
)
_STREET = re.compile(
    r"\b\d{1,4}[A-Za-z]?(?:\s*[-–]\s*\d{1,4}[A-Za-z]?)?,?\s+"
    r"(?P<words>(?:the\s+)?(?:(?:St|Saint)\.?\s+)?(?:[A-Z][a-z']+\s+){0,3})"
    rf"{_STREET_SUFFIX}\b"
)
# The same in lower case, for the strong street words only: "12 acacia avenue", "31 st johns road".
_STREET_LOWER = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+(?P<words>(?:[a-z][a-z']+\s+){1,3})"
    r"(?:road|rd|street|avenue|ave|lane|crescent|terrace|gardens|grove|mews|close|drive|way)\b"
)
_NOT_STREET_WORDS = frozenset(
    """
    the a an of in on at to for and or by with from more other long short wrong right same different
    one two three four five six seven eight nine ten very quite too so all any some each every few
    minute minutes hour hours day days week weeks month months year years mile miles metre metres
    km times visits meetings meeting calls referrals contacts separate whole half new old
    """.split()
)
_UNNUMBERED_STREET = re.compile(
    r"\b(?:on|at|in|off|from|near|along|of)\s+(?P<street>(?:[A-Z][a-z']+\s+){1,3}"
    r"(?:Road|Street|Avenue|Lane|Close|Crescent|Terrace|Gardens|Grove|Mews|Drive))\b"
)
_FLAT = re.compile(
    r"\b(?:Flat|flat|FLAT|Apartment|apartment|Apt\.?)\s+\d{1,4}[A-Za-z]?\b"
    r"(?!\s*(?:miles?|metres?|meters?|km|%|per\b|x\b))"
)
# "Crown Court", "Family Court": courts, not addresses, when a number happens to come before them.
_BARE_SUFFIXES = frozenset("St Court Ct Place Pl House Park Green Hill View Way Walk Row Gate".split())
_COURT_TYPES = frozenset(
    "Crown Family Youth Magistrates Magistrates' County High Sheriff Coroner's Coroners".split()
)


def street_addresses(text: str, allowed: list[Span]) -> Iterator[Candidate]:
    for m in _STREET.finditer(text):
        words = m.group("words").split()
        if not words and m.group().split()[-1] in _BARE_SUFFIXES:
            continue  # "3 Court", "2 House": not a street
        if m.group().rstrip().endswith("Court") and words and words[-1] in _COURT_TYPES:
            continue
        if not touches(m.start("words"), m.end(), allowed):
            yield IdentifierKind.STREET_ADDRESS, m.start(), m.end()
    for m in _STREET_LOWER.finditer(text):
        words = m.group("words").split()
        if any(w in _NOT_STREET_WORDS for w in words):
            continue
        if not touches(m.start("words"), m.end(), allowed):
            yield IdentifierKind.STREET_ADDRESS, m.start(), m.end()
    for m in _UNNUMBERED_STREET.finditer(text):
        words = m.group("street").split()[:-1]
        if any(w in NOT_SURNAMES and w not in ("Church", "Mill") for w in words):
            continue
        if not touches(m.start("street"), m.end(), allowed):
            yield IdentifierKind.STREET_ADDRESS, m.start("street"), m.end()
    for m in _FLAT.finditer(text):
        yield IdentifierKind.STREET_ADDRESS, m.start(), m.end()


_SCHOOL_TYPE = (
    r"(?:School|Academy|College|Nursery|Pre-?[Ss]chool|Playgroup|Kindergarten|Creche|Childminding"
    r"|Childminders|Infants|Juniors|Primary|High|Comprehensive)"
)
_SCHOOL = re.compile(
    r"\b(?P<words>(?:(?:St|Saint)\.?\s+)?(?:[A-Z][a-z]+(?:'s)?\s+){1,4})"
    r"(?:(?:C\s?of\s?E|CofE|CE|RC|VA|VC|Catholic|Methodist|Church\s+of\s+England)\s+)?"
    r"(?:(?:Primary|Junior|Infant|Secondary|High|Grammar|Middle|Day|Community|Nursery)\s+)*"
    rf"{_SCHOOL_TYPE}\b"
)
_SCHOOL_LOWER = re.compile(
    r"\b(?P<words>(?:st\.?\s+)?(?:[a-z]+(?:'s)?\s+){1,2})"
    r"(?:(?:rc|ce|c\s?of\s?e)\s+)?"
    r"(?:(?:primary|junior|infant|secondary|high|nursery|community)\s+)*"
    r"(?:school|academy|nursery|pre-?school|infants|juniors)\b"
)
# Words that describe a school without naming it: "the Virtual School", "her Primary School".
_GENERIC_SCHOOL_WORDS = frozenset(
    """
    St Saint Primary Secondary High Junior Infant Infants Nursery Community Catholic Church Free
    Special Grammar Middle Upper Lower Preparatory Prep Academy Virtual Further Sixth Form Years
    Previous Former Current New Same Local Independent Residential Royal Day Boarding Pupil Referral
    Forest Sunday Summer Holiday Home State Faith Hospital Secure Alternative Mainstream Village
    Welsh English Medium Private Public City Training Outdoor After Breakfast Club Private Infant's
    Her His Their Our Your My Child's School's Nursery's Big Little's Kindergarten Playgroup
    """.split()
)


def school_names(text: str, allowed: list[Span]) -> Iterator[Candidate]:
    for m in _SCHOOL.finditer(text):
        words = [w.removesuffix("'s") for w in m.group("words").split()]
        distinctive = [
            w
            for w in words
            if w not in _GENERIC_SCHOOL_WORDS and w not in NOT_SURNAMES and w.lower() not in DOMAIN_WORDS
        ]
        if distinctive and not touches(m.start(), m.end(), allowed):
            yield IdentifierKind.SCHOOL_NAME, m.start(), m.end()
    for m in _SCHOOL_LOWER.finditer(text):
        # in lower case a school is named only by a word that is not English ("oakfield primary
        # school") or a saint ("st bede's primary"); "the local primary school" names nothing
        saint = re.match(r"st\.?\s", m.group("words"))
        named = [w for w in re.finditer(r"[a-z]+(?:'s)?", m.group("words")) if w.group() != "st"]
        unknown = [w for w in named if not is_english(w.group()) and not is_domain_word(w.group())]
        if not (unknown or (saint and named)) or touches(m.start(), m.end(), allowed):
            continue
        start = m.start() if saint else m.start("words") + unknown[0].start()
        yield IdentifierKind.SCHOOL_NAME, start, m.end()
