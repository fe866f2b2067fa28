"""The identifier guard's recognisers one by one: folding lookalikes, numbers and their check digits,
national insurance prefixes, dates of birth, postcodes, addresses, schools and names of any origin.

All values are synthetic: NHS and CHI numbers are generated with valid check digits here, names are
common given names and surnames put together at random, postcodes are shapes, not homes.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.privacy.findings import GuardMode, IdentifierKind
from bot.privacy.guard import guard, has_unstorable_characters, scan
from bot.privacy.lexicon import is_english
from bot.privacy.normalise import normalise
from bot.privacy.numbers import is_valid_chi_number, is_valid_nhs_number, is_valid_ni_number
from bot.privacy.pseudonyms import looks_like_pseudonym
from tests.guard_corpus import FULLWIDTH, ZWSP, chi_number, mod11_check, nhs_number

K = IdentifierKind


def covered(text: str) -> list[tuple[IdentifierKind, str]]:
    return [(f.kind, text[f.start : f.end]) for f in scan(text)]


# --- folding ------------------------------------------------------------------------------------------


def test_folding_maps_lookalikes_and_keeps_offsets() -> None:
    text = "Mrs Ｃｈａｕ\u00addhry and Оluwаsеun Ad\u200beyemi, Wiśniewski, Łukasz"
    folded = normalise(text)
    assert folded.text == "Mrs Chaudhry and Oluwaseun Adeyemi, Wisniewski, Lukasz"
    start = folded.text.index("Adeyemi")
    assert folded.span(start, start + len("Adeyemi")) == (text.index("Ad"), text.index("Ad") + 8)
    assert normalise("plain ascii").origin is None


def test_findings_point_into_the_text_as_typed() -> None:
    text = "Seen with Ｍｒｓ Ｃｈａｕｄｈｒｙ and Dariusz\u200b Nowak."
    assert covered(text) == [
        (K.FULL_NAME, "Ｍｒｓ Ｃｈａｕｄｈｒｙ"),
        (K.FULL_NAME, "Dariusz\u200b Nowak"),
    ]


LOOKALIKE_ALPHABET = "abcdeopxyz ABCEOPX 0123456789 .,-'\u200b\u00ad\u2019" + "аеорсхАОЕ" + "０１２９"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=LOOKALIKE_ALPHABET, max_size=300))
def test_findings_stay_in_bounds_with_lookalikes_and_invisible_characters(text: str) -> None:
    previous_end = 0
    for finding in scan(text):
        assert previous_end <= finding.start < finding.end <= len(text)
        previous_end = finding.end


# --- numbers ------------------------------------------------------------------------------------------

RNG = random.Random(1616)
NHS = [nhs_number(RNG) for _ in range(6)]


@pytest.mark.parametrize("number", NHS)
@pytest.mark.parametrize(
    "layout",
    [
        lambda n: n,
        lambda n: f"{n[:3]} {n[3:6]} {n[6:]}",
        lambda n: f"{n[:3]}.{n[3:6]}.{n[6:]}",
        lambda n: f"{n[:3]}-{n[3:6]}-{n[6:]}",
        lambda n: f"{n[:5]} {n[5:]}",
        lambda n: " ".join(n),
        lambda n: f"{n[:3]} {n[3:6]} {n[6:]}".translate(FULLWIDTH),
        lambda n: ZWSP.join(n),
    ],
)
def test_nhs_numbers_with_any_separator(number: str, layout: object) -> None:
    written = layout(number)  # type: ignore[operator]
    assert covered(f"Ref {written} from the GP system.") == [(K.NHS_NUMBER, written)]


def test_ten_digits_need_a_valid_check_digit_unless_labelled() -> None:
    stem = next(
        s for s in (f"{n:09d}" for n in range(555_000_000, 555_100_000)) if mod11_check(s) is not None
    )
    wrong = stem + str((mod11_check(stem) + 1) % 10)  # type: ignore[operator]
    assert not is_valid_nhs_number(wrong)
    assert scan(f"Reference {wrong[:3]} {wrong[3:6]} {wrong[6:]} on the old system.") == []
    assert [f.kind for f in scan(f"NHS {wrong[:3]} {wrong[3:6]} {wrong[6:]}")] == [K.NHS_NUMBER]


def test_nhs_numbers_in_brackets_and_foreign_phone_numbers() -> None:
    number = NHS[0]
    assert [f.kind for f in scan(f"NHS ({number[:3]}) {number[3:6]} {number[6:]}")] == [K.NHS_NUMBER]
    assert covered("Call +48 512 345 678 after six.") == [(K.PHONE_NUMBER, "+48 512 345 678")]
    assert scan("Section 47 (2) of the Children Act 1989, between 2019 (March) and 2021.") == []


def test_chi_numbers() -> None:
    for _ in range(20):
        chi = chi_number(RNG)
        assert is_valid_chi_number(chi) and is_valid_chi_number(f"{chi[:6]}-{chi[6:]}")
        assert covered(f"CHI: {chi[:6]}-{chi[6:]}") == [(K.NHS_NUMBER, f"{chi[:6]}-{chi[6:]}")]
    # a valid modulus 11 number whose first six digits are not a date is not a CHI number
    stem = next(s for s in (f"99{n:07d}" for n in range(10_000)) if mod11_check(s) is not None)
    assert not is_valid_chi_number(stem + str(mod11_check(stem)))


def test_national_insurance_prefix_rules() -> None:
    assert is_valid_ni_number("AB 12 34 56 C")
    assert is_valid_ni_number("ab123456d")
    for bad in ("DA123456A", "AD123456A", "QA123456A", "AO123456A", "GB123456A", "TN123456A", "ZZ123456A"):
        assert not is_valid_ni_number(bad), bad
    assert not is_valid_ni_number("AB123456E")
    assert not is_valid_ni_number("AB12345C")


@pytest.mark.parametrize(
    "text",
    ["QQ123456C", "Mother's NI number is AB 12 34 56 C.", "ab-12-34-56-d", "NINO: GB123456A", "NI AB123456"],
)
def test_national_insurance_numbers(text: str) -> None:
    assert [f.kind for f in scan(text)] == [K.NATIONAL_INSURANCE]


@pytest.mark.parametrize(
    "text", ["GB123456A was the batch code.", "The form AB123456 was filed.", "KS2 123456"]
)
def test_national_insurance_lookalikes_without_a_label_are_left(text: str) -> None:
    assert scan(text) == []


# --- dates of birth -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DoB 20160714", "20160714"),
        ("dob 14072016", "14072016"),
        ("b. 14/07/2016", "14/07/2016"),
        ("b.14/7/16", "14/7/16"),
        ("born 14 July 2016", "14 July 2016"),
        ("Child A (DOB 14.07.16) was not brought.", "14.07.16"),
        ("D.O.B. 14-Jul-2016", "14-Jul-2016"),
        ("DOB 2016/07/14", "2016/07/14"),
        ("born July 14, 2016", "July 14, 2016"),
        ("DOB １４/０７/２０１６", "１４/０７/２０１６"),
        ("D\u200bOB 14/07/2016", "14/07/2016"),
    ],
)
def test_dates_of_birth_in_every_common_form(text: str, expected: str) -> None:
    assert covered(text) == [(K.DATE_OF_BIRTH, expected)]


@pytest.mark.parametrize(
    "text",
    [
        "Seen on 14/07/2016 and again on 20160801 (case note numbers).",
        "The notification was sent on 3 March 2026.",
        "b) the plan was reviewed on 14/07/2024",
        "DoB 20161399 is not a date.",
        "Section 47 enquiries started in May; Working Together 2023 applies.",
    ],
)
def test_dates_without_a_birth_word_are_left(text: str) -> None:
    assert scan(text) == []


# --- places -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode", ["ne1 4st", "NE1 4ST", "ne14st", "Ne1 4ST", "sw1a 1aa", "M13  9PL", "ｍ１３ ９ｐｌ"]
)
def test_postcodes_in_any_case_and_spacing(postcode: str) -> None:
    assert covered(f"They moved to {postcode} last year.") == [(K.POSTCODE, postcode)]


@pytest.mark.parametrize("text", ["She is in KS2 3rd set.", "ks2 3ab group", "Year 6 2nd term", "at 5 2pm"])
def test_postcode_shaped_prose_is_left(text: str) -> None:
    assert scan(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 acacia avenue", ["12 acacia avenue"]),
        ("Flat 3, 5 Mill Lane", ["Flat 3", "5 Mill Lane"]),
        ("They lived on Kingfisher Drive then.", ["Kingfisher Drive"]),
        ("31 st johns road", ["31 st johns road"]),
        ("3 the Paddocks, Northtown", ["3 the Paddocks"]),
    ],
)
def test_street_addresses_in_any_case(text: str, expected: list[str]) -> None:
    assert covered(text) == [(K.STREET_ADDRESS, e) for e in expected]


@pytest.mark.parametrize(
    "text",
    ["A 20 minute drive away.", "3 meetings took place.", "In 2 different ways.", "2 Crown Court hearings."],
)
def test_street_shaped_prose_is_left(text: str) -> None:
    assert scan(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("attends St Mary's RC Primary School", "St Mary's RC Primary School"),
        ("Little Acorns Nursery", "Little Acorns Nursery"),
        ("at St Aidan's C of E Academy", "St Aidan's C of E Academy"),
        ("Year 4 at Westfield Primary.", "Westfield Primary"),
        ("attends oakfield primary school", "oakfield primary school"),
    ],
)
def test_schools_and_nurseries(text: str, expected: str) -> None:
    assert covered(text) == [(K.SCHOOL_NAME, expected)]


@pytest.mark.parametrize(
    "text",
    [
        "the local primary school",
        "Forest School sessions",
        "the Virtual School Head",
        "a Special School place",
    ],
)
def test_generic_school_words_are_left(text: str) -> None:
    assert scan(text) == []


# --- names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oluwaseun Adeyemi was the child's stepfather.", "Oluwaseun Adeyemi"),
        ("SMITH, Jane was the main carer.", "SMITH, Jane"),
        ("Nowak, Dariusz was arrested.", "Nowak, Dariusz"),
        ("Father: ADEBAYO Tunde.", "ADEBAYO Tunde"),
        ("Folake ABIODUN was the referrer.", "Folake ABIODUN"),
        ("Mr van der Merwe refused entry.", "Mr van der Merwe"),
        ("Nguyen Thi Lan was interviewed.", "Nguyen Thi Lan"),
        ("jane smith phoned the duty desk.", "jane smith"),
        ("Her stepfather, Liridon, was not known.", "Liridon"),
        ("known as Big Dave on the estate", "Big Dave"),
        ("Wiremu Ngata was the mother's partner.", "Wiremu Ngata"),
        ("The caller gave her name as Precious Nwosu.", "Precious Nwosu"),
    ],
)
def test_names_of_any_origin(text: str, expected: str) -> None:
    assert covered(text) == [(K.FULL_NAME, expected)]


@pytest.mark.parametrize(
    "text",
    [
        "Police and Children's Social Care held a strategy discussion.",
        "The GP practice did not share the referral.",
        "Child A was seen by the health visitor on two occasions.",
        "Northumbria Police, Cafcass Cymru and Merthyr Tydfil Council attended.",
        "The family moved from Milton Keynes in March.",
        "Staff from St Thomas' Hospital attended on Saint Patrick's Day.",
        "Will Police attend? Grace Period ends in May.",
        "The Independent Reviewing Officer and the Designated Safeguarding Lead met.",
        "Working Together 2023 and Section 47 of the Children Act 1989.",
        "CHILD A WAS SEEN BY THE HEALTH VISITOR.",
    ],
)
def test_practice_prose_is_left(text: str) -> None:
    assert scan(text) == []


def test_british_spellings_are_english() -> None:
    for word in ("centre", "behaviour", "paediatric", "programme", "organisation", "judgement", "offence"):
        assert is_english(word), word
    for word in ("oluwaseun", "adeyemi", "kowalczyk"):
        assert not is_english(word), word


def test_pseudonyms_still_pass() -> None:
    for value in ("Child A", "Sibling 1", "Young Person E", "Baby C"):
        assert looks_like_pseudonym(value)


# --- text that cannot be stored -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Child A\x00", "a\x07b", "\x1b[31mred", "x\ud800y"])
def test_control_characters_are_refused_in_both_modes(text: str) -> None:
    assert has_unstorable_characters(text)
    for mode in GuardMode:
        result = guard(text, mode=mode)
        assert not result.ok and "control character" in result.message and result.refusal


def test_tabs_and_line_breaks_are_fine() -> None:
    assert not has_unstorable_characters("line one\nline two\r\n\tindented")
    assert guard("Child A was seen.\nPolice attended.").ok
