"""The identifier guard: what it catches, what it leaves alone, and that it never repeats the text.

Every value here is synthetic. Surnames are invented ("Testperson", "Samplename"); phone numbers come
from Ofcom's ranges reserved for drama (07700 900xxx, 01632 960xxx, 020 7946 0xxx); postcodes use
the non-geographic ZZ99 area; NHS numbers are generated below in the 999 range the NHS sets aside
for testing; email domains end in .invalid or .example.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.privacy.findings import Finding, GuardMode, IdentifierKind
from bot.privacy.forenames import FORENAMES, WORDLIKE_FORENAMES
from bot.privacy.guard import guard, scan
from bot.privacy.numbers import is_valid_nhs_number
from bot.privacy.pseudonyms import check_length, looks_like_pseudonym

K = IdentifierKind


def kinds(text: str, **kwargs: object) -> list[IdentifierKind]:
    return [f.kind for f in scan(text, **kwargs)]  # type: ignore[arg-type]


def covered(text: str) -> list[tuple[IdentifierKind, str]]:
    """What each finding covers, for assertions only (the guard itself never returns text)."""
    return [(f.kind, text[f.start : f.end]) for f in scan(text)]


def reference_check_digit(first_nine: str) -> int | None:
    """An independent modulus 11 implementation, written from the NHS data dictionary description."""
    total = sum(int(digit) * (10 - position) for position, digit in enumerate(first_nine))
    check = (11 - total % 11) % 11
    return None if check == 10 else check


def synthetic_nhs_numbers(count: int, *, seed: int = 999_000_000) -> list[str]:
    """Checksum-valid NHS numbers from the 999 test range, counting up from a fixed seed."""
    out: list[str] = []
    stem = seed
    while len(out) < count:
        first_nine = f"{stem:09d}"
        check = reference_check_digit(first_nine)
        if check is not None:
            out.append(first_nine + str(check))
        stem += 1
    return out


def invalid_checksum(number: str) -> str:
    """The same number with a wrong check digit."""
    return number[:9] + str((int(number[9]) + 1) % 10)


# --- each kind is detected ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The strategy meeting heard from Mrs Testperson about the home.", "Mrs Testperson"),
        ("Dr Samplename (GP) had seen the family twice.", "Dr Samplename"),
        ("Mx O'Fakename attended.", "Mx O'Fakename"),
        ("Jessica Testperson was seen by the school nurse.", "Jessica Testperson"),
        ("Police spoke to Oliver Samplename-Fake at the address.", "Oliver Samplename-Fake"),
        ("The lodger, Amelia Jane Testperson, was not known to services.", "Amelia Jane Testperson"),
        ("Referral made by Mrs Jessica Testperson.", "Mrs Jessica Testperson"),
        ("Contact with Lily-Mae Testperson was lost.", "Lily-Mae Testperson"),
        ("Her partner Muhammad McFakename was interviewed.", "Muhammad McFakename"),
        # A word-like forename counts mid-sentence.
        ("The health visitor met Grace Testperson at clinic.", "Grace Testperson"),
    ],
)
def test_full_names(text: str, expected: str) -> None:
    assert covered(text) == [(K.FULL_NAME, expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Child A, aged 3, born 14 March 2022, was admitted.", "14 March 2022"),
        ("DOB: 01/02/2020.", "01/02/2020"),
        ("d.o.b. 1.2.20 according to the GP record", "1.2.20"),
        ("Date of birth 2021-07-09 (synthetic).", "2021-07-09"),
        ("Child A was born at 32 weeks on 3rd of May 2021.", "3rd of May 2021"),
        ("Her birthday is 3 March, so the review met after it.", "3 March"),
        ("Child B, born June 2023, lives with Mother.", "June 2023"),
        ("Seen with sibling (born Feb. 5th, 2019) at the clinic.", "Feb. 5th, 2019"),
        ("Child C 07/08/2019 (DOB) was not brought to clinic.", "07/08/2019"),
    ],
)
def test_dates_of_birth(text: str, expected: str) -> None:
    assert covered(text) == [(K.DATE_OF_BIRTH, expected)]


def test_dates_without_a_birth_word_are_chronology_not_dates_of_birth() -> None:
    assert scan("Seen on 3 March 2026; strategy discussion on 05/03/2026.") == []
    assert scan("Child A was born prematurely. The notification was sent on 3 March 2026.") == []
    assert scan("The birth parents were informed on 5 May 2026.") == []
    assert scan("Child A, born 2021, was known to Early Help.") == []  # a year alone is allowed


@pytest.mark.parametrize("number", synthetic_nhs_numbers(5))
@pytest.mark.parametrize("layout", ["{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}"])
def test_nhs_numbers_in_each_layout(number: str, layout: str) -> None:
    written = layout.format(a=number[:3], b=number[3:6], c=number[6:])
    text = f"NHS number {written} per the GP letter."
    assert covered(text) == [(K.NHS_NUMBER, written)]


def test_ten_digits_failing_the_checksum_are_not_an_nhs_number() -> None:
    for number in synthetic_nhs_numbers(5):
        assert scan(f"Reference {invalid_checksum(number)} from the old system.") == []


def test_ten_digits_failing_the_checksum_may_still_be_a_phone_number() -> None:
    # 01632 960 001 is an Ofcom drama number; as ten digits run together it fails modulus 11.
    assert not is_valid_nhs_number("0163296001")
    assert kinds("Call 0163296001 after 5pm.") == [K.PHONE_NUMBER]


def test_nhs_checksum() -> None:
    assert is_valid_nhs_number("999 999 9999")  # 9 x (10+...+2) = 486; 486 mod 11 = 2; 11 - 2 = 9
    for number in synthetic_nhs_numbers(50):
        assert is_valid_nhs_number(number)
        assert is_valid_nhs_number(f"{number[:3]}-{number[3:6]}-{number[6:]}")
        assert not is_valid_nhs_number(invalid_checksum(number))
    # A remainder giving check digit 10 can never be valid, whatever the last digit.
    stems = (f"{s:09d}" for s in range(999_000_000, 999_001_000))
    stem = next(s for s in stems if reference_check_digit(s) is None)
    assert not any(is_valid_nhs_number(stem + str(d)) for d in range(10))
    assert not is_valid_nhs_number("99999999")
    assert not is_valid_nhs_number("99999999999")
    assert not is_valid_nhs_number("999999999x")


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900456",
        "+44 (0)20 7946 0000",
        "(01632) 960123",
        "01632 960 123",
        "020 7946 0999",
        "0113 496 0000",
    ],
)
def test_phone_numbers(phone: str) -> None:
    text = f"Mother can be reached on {phone} most evenings."
    assert covered(text) == [(K.PHONE_NUMBER, phone)]


@pytest.mark.parametrize("postcode", ["ZZ99 9ZZ", "zz99 9zz", "ZZ999ZZ", "ZZ1 2AB", "Z9A 9ZX"])
def test_postcodes(postcode: str) -> None:
    text = f"The family moved to {postcode} in the spring."
    assert covered(text) == [(K.POSTCODE, postcode)]


def test_emails() -> None:
    text = "Mother emailed from jane.fake+home@example.invalid about the meeting."
    assert covered(text) == [(K.EMAIL, "jane.fake+home@example.invalid")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The family lived at 12 Acacia Avenue until March.", "12 Acacia Avenue"),
        ("Police attended 7a Fakename Close at 21:40.", "7a Fakename Close"),
        ("They moved to 221 Upper Sample Road last year.", "221 Upper Sample Road"),
        ("Found at 3 St Testing's Court.", "3 St Testing's Court"),
        ("Mother rents Flat 3 above the shop.", "Flat 3"),
    ],
)
def test_street_addresses(text: str, expected: str) -> None:
    assert covered(text) == [(K.STREET_ADDRESS, expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Child A attends Oakfakes Primary School in year 2.", "Oakfakes Primary School"),
        ("Her sibling moved to St Testing's Academy in September.", "St Testing's Academy"),
        ("Referral came from Little Sample Nursery.", "Little Sample Nursery"),
    ],
)
def test_school_names(text: str, expected: str) -> None:
    assert covered(text) == [(K.SCHOOL_NAME, expected)]


def test_several_kinds_in_one_note_in_reading_order() -> None:
    text = "Mrs Testperson, 12 Acacia Avenue, ZZ99 9ZZ, tel 07700 900123, DOB 01/02/2020."
    assert kinds(text) == [K.FULL_NAME, K.STREET_ADDRESS, K.POSTCODE, K.PHONE_NUMBER, K.DATE_OF_BIRTH]


# --- ordinary safeguarding prose is left alone -------------------------------------------------------

ORDINARY_PROSE = [
    "Child A was seen by the health visitor on Monday. Police were called at 21:40; Children's Services "
    "opened a section 47 enquiry.",
    "Early Help had been offered in January; Northshire Council and Police Scotland attended the strategy "
    "meeting on Wednesday.",
    "The ICB Designated Nurse and the Named GP will provide agency summaries by day 10.",
    "Sibling 1 and Baby C were placed with Mother. Father was arrested on Friday 6 March.",
    "Women's Aid, Barnardo's and the NSPCC contributed. Youth Justice Service and Probation attended.",
    "The rapid review meeting is on Tuesday 14 April 2026 at 10:00 via MS Teams.",
    "Will Police attend the meeting in May? Mark Complete once the chronology is in.",
    "Faith groups were contacted. Amber rating for action 3. Grace Period ends Friday.",
    "RR-2026-001: day 15 of 15 working days; case RR-2026-014 is overdue by 3 days.",
    "Child A took 5ml of paracetamol; the outcome was discussed at 2 Crown Court hearings.",
    "Child A's Primary School raised concerns; the Virtual School Head was consulted.",
    "The Local Authority Designated Officer (LADO) was consulted about the Sixth Form College.",
    "Chronology covers 01/01/2025 to 31/12/2025 and the KS2 3rd term.",
    "Olivia-style single forenames alone are not full names: Jessica was seen at school.",
    "Health Visitor, Social Worker and Team Manager met at 9:30 on 2 May 2026.",
    "On Christmas Day Police attended. Boxing Day the family moved to temporary accommodation.",
    "Section 47 enquiries were completed within 15 working days (agreed at the 2026-02-03 panel).",
]


@pytest.mark.parametrize("text", ORDINARY_PROSE)
def test_ordinary_safeguarding_prose_is_not_flagged(text: str) -> None:
    assert scan(text) == []


def test_allowed_terms_excuse_agency_and_team_names() -> None:
    text = "Support came from Grace Testperson House and the Jessica Samplename Trust."
    assert kinds(text) == [K.FULL_NAME, K.FULL_NAME]
    allowed = ["Grace Testperson House", "jessica samplename trust"]
    assert scan(text, allowed_terms=allowed) == []


def test_allowed_terms_do_not_excuse_numbers_or_dates_of_birth() -> None:
    text = "Oakfakes Primary School, DOB 01/02/2020, NHS 999 999 9999."
    found = kinds(text, allowed_terms=["Oakfakes Primary School", "01/02/2020", "999 999 9999"])
    assert found == [K.DATE_OF_BIRTH, K.NHS_NUMBER]


def test_weekday_and_month_names_are_not_surnames() -> None:
    assert scan("The visit by Jessica Monday was cancelled.") == []  # cannot tell; errs towards prose
    assert scan("In May Police attended; by June Social Care had closed the case.") == []


def test_forename_lists_agree() -> None:
    assert WORDLIKE_FORENAMES <= FORENAMES
    assert 300 <= len(FORENAMES) <= 1000
    months = {"January", "February", "March", "April", "May", "June", "July", "August"}
    assert not FORENAMES & months


# --- the guard never repeats what it refused ---------------------------------------------------------

SECRET_NOTE = (
    "Mrs Jessica Testperson of 12 Acacia Avenue, ZZ99 9ZZ, DOB 01/02/2020, NHS 999 999 9999, "
    "tel 07700 900123, jess.fake@example.invalid, attends Oakfakes Primary School, NI QQ 12 34 56 C."
)
SECRET_PARTS = [
    "Jessica",
    "Testperson",
    "Acacia",
    "ZZ99",
    "9ZZ",
    "01/02/2020",
    "999 999 9999",
    "9999999999",
    "07700",
    "900123",
    "jess.fake",
    "example.invalid",
    "Oakfakes",
    "QQ 12",
    "34 56",
]


def test_findings_and_results_never_contain_the_matched_text() -> None:
    findings = scan(SECRET_NOTE)
    assert {f.kind for f in findings} == set(IdentifierKind)
    for mode in GuardMode:
        result = guard(SECRET_NOTE, mode=mode)
        shown = [repr(result), str(result), result.message, *result.warnings, result.refusal or ""]
        shown += [repr(f) for f in findings] + [str(f) for f in findings]
        for text in shown:
            for part in SECRET_PARTS:
                assert part.lower() not in text.lower(), (part, text)


def test_finding_carries_only_kind_and_position() -> None:
    text = "Referral from Mrs Testperson today."
    (finding,) = scan(text)
    assert finding == Finding(kind=K.FULL_NAME, start=14, end=28, word=3)
    assert set(Finding.__slots__) == {"kind", "start", "end", "word"}


def test_refuse_mode_refuses_with_plain_english_advice() -> None:
    result = guard("Seen with Mrs Testperson, DOB 01/02/2020.")
    assert not result.ok
    assert result.refusal == result.message
    assert result.warnings == ()
    assert "a person's name (word 3)" in result.message
    assert "a date of birth (word 6)" in result.message
    assert "Use the pseudonym ('Child A', 'Mother', 'the school') rather than a name." in result.message
    assert "aged 3" in result.message
    assert "can't be saved" in result.message


def test_warn_mode_returns_ok_with_warnings() -> None:
    result = guard("Seen with Mrs Testperson and Dr Samplename.", mode=GuardMode.WARN)
    assert result.ok
    assert result.refusal is None
    assert [f.kind for f in result.findings] == [K.FULL_NAME, K.FULL_NAME]
    assert result.warnings == (
        "Words 3 and 6 look like a person's name. Use the pseudonym ('Child A', 'Mother', 'the school') "
        "rather than a name.",
    )
    assert result.message.startswith("Please check this")


def test_clean_text_passes_in_both_modes() -> None:
    for mode in GuardMode:
        result = guard(ORDINARY_PROSE[0], mode=mode)
        assert result.ok and result.findings == () and result.message == "" and result.warnings == ()


def test_curly_apostrophes_keep_offsets() -> None:
    text = "Seen by Mx O\u2019Fakename at St Testing\u2019s Academy."
    assert covered(text) == [
        (K.FULL_NAME, "Mx O\u2019Fakename"),
        (K.SCHOOL_NAME, "St Testing\u2019s Academy"),
    ]


# --- pseudonyms and length ---------------------------------------------------------------------------


PSEUDONYMS = [
    "Child A",
    "Child B",
    "Child AB",
    "Sibling 1",
    "Baby C",
    "  Child  D ",
    "Child A1",
    "Young Person E",
]
NOT_PSEUDONYMS = [
    "Mother of",
    "Child a",
    "Jessica",
    "Jessica Testperson",
    "Child Testperson",
    "Child A Testperson",
    "Child " + "A" * 30,
    "",
]


@pytest.mark.parametrize("value", PSEUDONYMS)
def test_pseudonyms(value: str) -> None:
    assert looks_like_pseudonym(value)


@pytest.mark.parametrize("value", NOT_PSEUDONYMS)
def test_not_pseudonyms(value: str) -> None:
    assert not looks_like_pseudonym(value)


def test_check_length() -> None:
    assert check_length("Child A was seen.", 500) is None
    assert check_length("x" * 10, 10) is None
    message = check_length("secret words " * 10, 100)
    assert message == (
        "This is 130 characters long and the limit here is 100. Please shorten it by 30 characters."
    )
    assert "secret" not in message
    assert check_length("ab", 1) == (
        "This is 2 characters long and the limit here is 1. Please shorten it by 1 character."
    )
    with pytest.raises(ValueError):
        check_length("x", 0)


# --- properties --------------------------------------------------------------------------------------

PROSE_ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:'’/()+-@\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=PROSE_ALPHABET, max_size=400))
def test_findings_are_in_bounds_in_order_and_never_overlap(text: str) -> None:
    findings = scan(text)
    previous_end = 0
    for finding in findings:
        assert previous_end <= finding.start < finding.end <= len(text)
        assert finding.word == len(text[: finding.start + 1].split())
        previous_end = finding.end


def test_long_adversarial_text_is_scanned_quickly() -> None:
    started = time.perf_counter()
    for chunk in ("Jessica " * 400, "1 " * 1500, "a" * 3000 + "@", "07700 " * 500, "Born 1 May " * 300):
        scan(chunk)
    assert time.perf_counter() - started < 2.0
