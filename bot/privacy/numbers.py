"""Numbers and contact details: NHS and CHI numbers, national insurance numbers, phone numbers,
email addresses and postcodes.

Numbers are checked, not just matched, so that the case references, dates, times and counts of
every chronology pass. Any ten digits in a row of digit groups that pass the NHS modulus 11 check
digit are an NHS or CHI number, however they are grouped ("870.709.7247", "8 7 0 7 0 9 7 2 4 7");
after a label ("NHS", "CHI") any ten digits are. A national insurance number needs an issued prefix
and its suffix letter, or a label nearby. Phone numbers follow the UK numbering plan, or a plus and
a country code; postcodes must start with a real postcode area unless written in capitals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from bot.privacy.findings import Candidate, IdentifierKind

__all__ = [
    "NI_SPECIMEN_PREFIXES",
    "emails",
    "is_valid_chi_number",
    "is_valid_nhs_number",
    "is_valid_ni_number",
    "nhs_numbers",
    "ni_numbers",
    "phone_numbers",
    "postcodes",
]


def is_valid_nhs_number(digits: str) -> bool:
    """True when ten digits pass the NHS modulus 11 check (also used by Scotland's CHI number).

    Spaces and hyphens are ignored. Weights 10..2 apply to the first nine digits; the check digit is
    11 minus the remainder, 11 becomes 0, and 10 means the number can never be valid.
    """
    plain = re.sub(r"[ .\-]", "", digits)
    if len(plain) != 10 or not plain.isascii() or not plain.isdecimal():
        return False
    total = sum(int(d) * w for d, w in zip(plain[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(plain[9])


def is_valid_chi_number(digits: str) -> bool:
    """True for a Scottish CHI number: a real date as DDMMYY, then four digits, passing modulus 11."""
    plain = re.sub(r"[ .\-]", "", digits)
    if not is_valid_nhs_number(plain):
        return False
    day, month = int(plain[:2]), int(plain[2:4])
    try:
        date(2000 + int(plain[4:6]), month, day)
    except ValueError:
        return False
    return True


# National insurance prefixes: the first letter is never D, F, I, Q, U or V, the second never D, F, I,
# O, Q, U or V, and BG, GB, KN, NK, NT, TN and ZZ are not issued. The suffix is A, B, C or D.
_NI_BAD_FIRST = frozenset("DFIQUV")
_NI_BAD_SECOND = frozenset("DFIOQUV")
_NI_NOT_ISSUED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
# HMRC's specimen prefix in its own examples; people copy it, so text with it is refused too.
NI_SPECIMEN_PREFIXES = frozenset({"QQ"})


def is_valid_ni_number(value: str) -> bool:
    """True for a national insurance number of the issued format: valid prefix, six digits, A-D."""
    plain = re.sub(r"[ .\-]", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", plain):
        return False
    prefix = plain[:2]
    return prefix[0] not in _NI_BAD_FIRST and prefix[1] not in _NI_BAD_SECOND and prefix not in _NI_NOT_ISSUED


def _label_before(text: str, start: int, label: re.Pattern[str], window: int = 30) -> bool:
    return label.search(text, max(0, start - window), start) is not None


# --- contact details and numbers --------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")


def emails(text: str) -> Iterator[Candidate]:
    for m in _EMAIL.finditer(text):
        yield IdentifierKind.EMAIL, m.start(), m.end()


# Digit groups joined by single spaces, dots, dashes, slashes or brackets: "870.709.7247", "36699 27484",
# "8 7 0 7 0 9 7 2 4 7", "220820-0918". Any ten digits in a row of groups, on group boundaries,
# that pass the modulus 11 check are an NHS or CHI number; after a label ("NHS", "CHI") any ten are.
_DIGIT_RUN = re.compile(r"(?<![\w])\d+(?:(?:[ .\-/]|\)\s?|\s?\()\d+)*(?!\w)")
_NUMBER_LABEL = re.compile(r"\b(?:NHS|CHI|nhs|chi|Nhs|Chi)\b")


def nhs_numbers(text: str) -> Iterator[Candidate]:
    for run in _DIGIT_RUN.finditer(text):
        groups = [(m.start(), m.end()) for m in re.finditer(r"\d+", run.group())]
        if sum(end - start for start, end in groups) < 10:
            continue
        base = run.start()
        labelled = _label_before(text, base, _NUMBER_LABEL)
        i = 0
        while i < len(groups):
            digits = ""
            for j in range(i, len(groups)):
                digits += run.group()[groups[j][0] : groups[j][1]]
                if len(digits) >= 10:
                    break
            if len(digits) == 10 and (labelled or is_valid_nhs_number(digits)):
                yield IdentifierKind.NHS_NUMBER, base + groups[i][0], base + groups[j][1]
                i = j + 1
                continue
            i += 1


_NI = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>[A-Za-z]{2})[ \-]?(?P<digits>\d{2}[ \-]?\d{2}[ \-]?\d{2})"
    r"(?:[ \-]?(?P<suffix>[A-Da-d]))?(?![A-Za-z0-9])"
)
_NI_LABEL = re.compile(r"(?:\bN\.?I\.?(?:N\.?O\.?)?\b|\bNINO\b|national\s+insurance)", re.IGNORECASE)


def ni_numbers(text: str) -> Iterator[Candidate]:
    """National insurance numbers: two letters, six digits, a letter A-D ("QQ 12 34 56 C").

    An issued prefix (or HMRC's specimen QQ) with the suffix letter is enough; without the suffix, or
    with a prefix that is never issued, a label nearby ("NI", "NINO", "national insurance") is needed.
    """
    for m in _NI.finditer(text):
        prefix, suffix = m.group("prefix"), m.group("suffix")
        if not (prefix.isupper() or prefix.islower()):
            continue
        plain = prefix.upper() + re.sub(r"\D", "", m.group("digits")) + (suffix or "A").upper()
        issued = is_valid_ni_number(plain) or prefix.upper() in NI_SPECIMEN_PREFIXES
        labelled = _label_before(text, m.start(), _NI_LABEL)
        if (issued and suffix) or labelled:
            yield IdentifierKind.NATIONAL_INSURANCE, m.start(), m.end()


# +44 or a leading 0, then a UK national number of 9-10 digits starting 1, 2, 3 (landlines and
# non-geographic), 7 (mobiles) or 8 (freephone), with single spaces, dots, hyphens or brackets between.
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)[1-378](?:[ .\-()]{0,2}\d){8,9}(?!\d)")


# Any other country: a plus, a country code and 8 to 13 more digits ("+48 512 345 678").
_INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])\+[1-9]\d{0,2}(?:[ .\-()]{0,2}\d){8,13}(?!\d)")


def phone_numbers(text: str) -> Iterator[Candidate]:
    for m in _PHONE.finditer(text):
        yield IdentifierKind.PHONE_NUMBER, m.start(), m.end()
    for m in _INTERNATIONAL_PHONE.finditer(text):
        yield IdentifierKind.PHONE_NUMBER, m.start(), m.end()


# The UK's postcode areas (plus ZZ, the NHS's pseudo-postcode area, and GIR): the outward code must
# start with one when it is written in lower or mixed case, which keeps prose out; in capitals any one
# or two letters do ("ZZ99 9ZZ"). Inward letters never include C I K M O V.
_POSTCODE_AREAS = frozenset(
    """
    AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E
    EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS
    LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR
    SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE ZZ
    """.split()
)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?P<area>[A-Za-z]{1,2})(?P<district>\d[A-Za-z\d]?)\s{0,2}"
    r"(?P<inward>\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})(?![A-Za-z0-9])"
    r"|(?<![A-Za-z0-9])GIR\s?0AA(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINALS = {"1": "st", "2": "nd", "3": "rd"}


def postcodes(text: str) -> Iterator[Candidate]:
    for m in _POSTCODE.finditer(text):
        if m.group("area") is not None:
            written_upper = m.group().isupper()
            if m.group("area").upper() not in _POSTCODE_AREAS and not written_upper:
                continue  # in lower case only a real postcode area counts: "ne1 4st", not "ks2 3ab"
            inward = m.group("inward")
            # "KS2 3rd", "A1 2nd": lower-case ordinals are prose, not the inward half of a postcode
            if inward[1:].islower() and inward[1:] == _ORDINALS.get(inward[0], "th"):
                continue
            if m.group("area").islower() != inward[1:].islower() and not m.group("area").isupper():
                continue  # "Ne1 4St": mixed case is a word, not a postcode
        yield IdentifierKind.POSTCODE, m.start(), m.end()
