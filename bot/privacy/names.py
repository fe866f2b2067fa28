"""The name recogniser: people's names in the shapes people write them, whatever their origin.

Names are found by shape and vocabulary rather than by a list of common names: two neighbouring
capitalised words that are neither English nor safeguarding vocabulary (bot/privacy/lexicon.py) are
a name ("Oluwaseun Adeyemi"), and a known forename or surname (bot/privacy/forenames.py) covers names
that are also English words ("Grace Brown"). Around that sit the other shapes: a title ("Mrs Doe",
"Mr van der Merwe"), surname first ("SMITH, Jane"), names in capitals or lower case, and one name
after a relation or a cue ("her stepfather, Kwame", "known as Big Dave"). Practice vocabulary,
months, weekdays, acronyms and single capitals ("Child A") are never read as a name, and words inside
an allowed term never count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from bot.privacy.findings import Candidate, IdentifierKind, Span, touches
from bot.privacy.forenames import FORENAMES, SURNAMES, WORDLIKE_FORENAMES
from bot.privacy.lexicon import DOMAIN_WORDS, PLACE_WORDS, is_domain_word, is_english
from bot.privacy.vocabulary import NOT_SURNAMES, WEEKDAYS

__all__ = ["full_names"]

# Title case only: upper-case "MS" is as likely to be Microsoft ("MS Teams") or multiple sclerosis.
_TITLE_WORDS = frozenset("Mr Mrs Ms Miss Mx Dr Prof Master Rev Revd Sir Dame".split())
_PARTICLES = frozenset(
    "van von der den de del della di da du dos das le la bin binti ibn al el ter ap".split()
)

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


def full_names(text: str, allowed: list[Span]) -> Iterator[Candidate]:
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
