"""A synthetic corpus for the identifier guard: identifying text and benign safeguarding prose.

Every person, number and place here is invented. Names are common given names and surnames put
together at random (no real person is meant); NHS, CHI and national insurance numbers are generated
below with valid check digits from a fixed seed, so the file holds no real one; phone numbers are in
Ofcom's drama ranges; email domains are reserved (.invalid, .example).

Lines are templates: ``{nhs}``, ``{chi}``, ``{ni}`` and friends are filled by :func:`build`, with a
different layout each time (spaces, dots, dashes, fullwidth digits, zero-width spaces).

Two parts: ``DEV`` is what the guard was tuned on; ``HELD_OUT`` (guard_corpus_held_out.py) was
written before tuning and only measured, never tuned on, to see how far the figures carry.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ZWSP = "\u200b"
ZWJ = "\u200d"
SOFT_HYPHEN = "\u00ad"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CYRILLIC = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "A": "А", "O": "О"})


@dataclass(frozen=True)
class Line:
    text: str
    identifying: bool
    part: str  # "dev" or "held_out"


# --- numbers with valid check digits ------------------------------------------------------------------


def mod11_check(first_nine: str) -> int | None:
    """NHS/CHI modulus 11: weights 10..2, check = 11 - remainder, 11 -> 0, 10 -> never valid."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(first_nine))
    check = (11 - total % 11) % 11
    return None if check == 10 else check


def nhs_number(rng: random.Random) -> str:
    while True:
        stem = f"{rng.randint(400_000_000, 799_999_999)}"
        check = mod11_check(stem)
        if check is not None:
            return stem + str(check)


def chi_number(rng: random.Random) -> str:
    while True:
        born = date(2008, 1, 1) + timedelta(days=rng.randint(0, 6000))
        stem = born.strftime("%d%m%y") + f"{rng.randint(0, 999):03d}"
        check = mod11_check(stem)
        if check is not None:
            return stem + str(check)


_NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NI_NOT_ISSUED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def ni_number(rng: random.Random) -> str:
    while True:
        prefix = rng.choice(_NI_FIRST) + rng.choice(_NI_SECOND)
        if prefix not in _NI_NOT_ISSUED:
            return prefix + f"{rng.randint(0, 999_999):06d}" + rng.choice("ABCD")


def layout_ten(digits: str, rng: random.Random) -> str:
    """Ten digits written as people write them."""
    style = rng.randrange(9)
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return [
        digits,
        f"{a} {b} {c}",
        f"{a}-{b}-{c}",
        f"{a}.{b}.{c}",
        f"{digits[:5]} {digits[5:]}",
        f"{digits[:4]} {digits[4:7]} {digits[7:]}",
        f"{a} {b} {c}".translate(FULLWIDTH),
        ZWSP.join(digits[i : i + 2] for i in range(0, 10, 2)),
        " ".join(digits),
    ][style]


def layout_chi(digits: str, rng: random.Random) -> str:
    style = rng.randrange(4)
    return [
        digits,
        f"{digits[:6]}-{digits[6:]}",
        f"{digits[:6]} {digits[6:]}",
        f"{digits[:6]}{ZWSP}{digits[6:]}",
    ][style]


def layout_ni(ni: str, rng: random.Random) -> str:
    style = rng.randrange(5)
    spaced = f"{ni[:2]} {ni[2:4]} {ni[4:6]} {ni[6:8]} {ni[8]}"
    return [ni, spaced, ni.lower(), f"{ni[:2]}{ni[2:8]} {ni[8]}", spaced.replace(" ", "-")][style]


def _fill(template: str, rng: random.Random) -> str:
    values: dict[str, Callable[[], str]] = {
        "nhs": lambda: layout_ten(nhs_number(rng), rng),
        "chi": lambda: layout_chi(chi_number(rng), rng),
        "ni": lambda: layout_ni(ni_number(rng), rng),
        "zw": lambda: ZWSP,
    }
    out = template
    for key, make in values.items():
        while "{" + key + "}" in out:
            out = out.replace("{" + key + "}", make(), 1)
    return out


def build(identifying: Iterable[str], benign: Iterable[str], part: str, seed: int) -> list[Line]:
    rng = random.Random(seed)
    lines = [Line(_fill(t, rng), True, part) for t in identifying]
    lines += [Line(_fill(t, rng), False, part) for t in benign]
    return lines


def cyr(text: str) -> str:
    """Some Latin letters swapped for their Cyrillic lookalikes."""
    return text.translate(CYRILLIC)


def zw(text: str) -> str:
    """A zero-width space after the first two letters of every word."""
    return " ".join(w[:2] + ZWSP + w[2:] if len(w) > 3 else w for w in text.split(" "))


# --- the dev part -------------------------------------------------------------------------------------

IDENTIFYING = [
    # names of many origins, in the shapes people type them
    "Oluwaseun Adeyemi was the child's stepfather.",
    "SMITH, Jane was the maternal grandmother and main carer.",
    "Mother's partner Kwabena Mensah had a history of domestic abuse.",
    "The referral was made by Agnieszka Kowalczyk, a neighbour.",
    "Child A lives with her aunt, Farhana Begum, in a two-bedroom flat.",
    "Dariusz Nowak was arrested on 3 March.",
    "Father (Mihai Popescu) did not attend the strategy meeting.",
    "Nguyen Thi Lan was interviewed with an interpreter.",
    "Police spoke to Tyrone Campbell-Baptiste at the scene.",
    "The lodger, Siobhan O'Sullivan, said she heard shouting.",
    "Abdirahman Warsame is the father of Sibling 1.",
    "Ms Okonkwo reported that the baby had been unsettled.",
    "Mrs Chaudhry was not present when the injury occurred.",
    "Grandfather Tomasz Wiśniewski took the children to school.",
    "A friend of the family, Yusuf Demir, raised concerns with the GP.",
    "The boyfriend was later identified as Callum McGregor.",
    "MOHAMMED, Aisha was the name recorded on the A&E card.",
    "Stepmother Precious Nwosu was the only adult at home.",
    "Child A's mother, Svetlana Ivanova, speaks limited English.",
    "Maternal uncle Rajesh Patel collected the children on Fridays.",
    "Liam Gallacher and Child A's mother separated in 2024.",
    "Zainab Al-Hashimi attended the child protection conference.",
    "Jean-Baptiste Mbeki was the only carer named by the school.",
    "Mr van der Merwe refused entry to the social worker.",
    "The older sibling, Kacper Zielinski, was 17 at the time.",
    "Chloe Whitfield (Child A's mother) had a learning disability.",
    "Paternal grandmother Gwendolyn Pryce-Evans asked for contact.",
    "The neighbour known as Big Dave, real name David Okoro, was visiting.",
    "Father: ADEBAYO Tunde.",
    "Ahmed Hussain was living in the household at the time.",
    "Elif Yilmaz was the interpreter's name on the record and also the mother's friend.",
    "Ioana Dumitrescu and her partner were both present.",
    "The child was in the care of Bartholomew Fairweather-Lowe overnight.",
    "The mother's new partner, Ricardo Almeida, had convictions abroad.",
    "Haruto Tanaka was the father's business partner and lived upstairs.",
    "Kerry-Ann Whyte, the maternal aunt, made a private fostering arrangement.",
    "jane smith phoned the duty desk twice.",
    "Oluwaseun adeyemi was seen leaving the flat.",
    "Mother told police her ex-partner Darnell Joseph had a key.",
    "The GP letter named Priya Raghunathan as next of kin.",
    # the same, obfuscated
    cyr("Oluwaseun Adeyemi was the child's stepfather."),
    cyr("Mother's partner Kwabena Mensah had a history of domestic abuse."),
    zw("Referral made by Agnieszka Kowalczyk, a neighbour."),
    "Dariusz" + ZWSP + " Nowak was arrested.",
    "No" + ZWSP + "wak, Dariusz was arrested.",
    "Mrs Chaud" + SOFT_HYPHEN + "hry was not present when the injury occurred.",
    "Ｍｒｓ Ｃｈａｕｄｈｒｙ was not present.",
    cyr("The lodger, Siobhan O'Sullivan, said she heard shouting."),
    # NHS and CHI numbers, national insurance numbers
    "NHS number {nhs} on the discharge letter.",
    "Ref {nhs} from the GP system.",
    "Child A ({nhs}) was admitted overnight.",
    "Baby's NHS no. is {nhs}.",
    "nhs: {nhs}",
    "The hospital record {nhs} shows two earlier attendances.",
    "{nhs}",
    "Sibling 1 NHS {nhs}, Sibling 2 NHS {nhs}.",
    "CHI: {chi}",
    "CHI number {chi} was on the referral from Police Scotland.",
    "The health board record ({chi}) was checked.",
    "Child's CHI {chi} and date of admission were shared.",
    "QQ123456C",
    "NI number {ni} for Mother.",
    "Father's national insurance number is {ni}.",
    "{ni} was on the benefits letter found in the flat.",
    "NINO {ni}",
    "Mother's NI: {ni}",
    # dates of birth in every common form
    "DoB 20160714",
    "b. 14/07/2016",
    "born 14 July 2016",
    "Child A (DOB 14.07.16) was not brought to the appointment.",
    "Date of birth: 2016-07-14.",
    "D.O.B. 14-Jul-2016",
    "Child B, born on the 3rd of March 2019, was also in the home.",
    "Her date of birth is 03/03/2019 according to the school.",
    "Sibling 1 (dob 5.11.2014) attends nursery.",
    "Baby C was born 29/02/2024 at 34 weeks.",
    "DOB: 14th July 2016",
    "Born July 14, 2016 in Leeds.",
    "b.14/7/16",
    "dob 14072016",
    "Child A, D.O.B 1 Jan 2017, was seen at clinic.",
    "DOB １４/０７/２０１６",
    "D" + ZWSP + "OB 14/07/2016",
    "Child A's birthday is 14 July and she will be 9.",
    # postcodes
    "The family moved to ne1 4st in the spring.",
    "Address postcode LS6 2QT.",
    "They live in the SW1A 1AA area.",
    "New address is in B15 2TT.",
    "Postcode: m13 9pl",
    "Mother was staying at a hostel in CF10 1EP.",
    "The flat is at EH1 1YZ, near the station.",
    "G20 7XY was given as the address.",
    "ne14st was written on the form.",
    "The pre-birth referral gave BT7 1NN as the address.",
    "Ｎ１ ９ＧＵ",
    "Postcode is L8 0" + ZWSP + "SJ.",
    # street addresses
    "12 acacia avenue",
    "Flat 3, 5 Mill Lane",
    "The family lived at 27 Brackenbury Road until May.",
    "Police attended 4a Cedar Close at 02:10.",
    "They moved to 118 High Street, above the takeaway.",
    "Mother stayed at 9 Juniper Crescent with a friend.",
    "The house at 63 Wellington Terrace was overcrowded.",
    "Child A was found at 2 Orchard Way.",
    "14B Victoria Gardens, first floor",
    "The address was given as 31 st johns road.",
    "Flat 12 Riverside Court was the last known address.",
    "Apartment 4B, 220 Canal Street",
    "They were living on Kingfisher Drive at the time.",
    "7 Beech Grove, Northtown",
    "Mother was seen at 88 Dale View most evenings.",
    "Unit 3, 40 Station Road was the father's workshop.",
    # schools and nurseries
    "attends St Mary's RC Primary School",
    "Little Acorns Nursery",
    "Child A was on roll at Oakfield Academy.",
    "Sibling 1 goes to Hillcrest Junior School.",
    "Child B attended Rainbow Pre-School until July.",
    "The DSL at Bishop Auckland College made the referral.",
    "She is in Year 4 at Westfield Primary.",
    "The nursery, Busy Bees Day Nursery, noticed bruising.",
    "Child A started at St Joseph's Catholic Primary in September.",
    "Moorside High School raised concerns about attendance.",
    "attends oakfield primary school",
    "Child C attends Sunflowers Childminding and then Sunnyside Infants.",
    "The referral came from Greenbank Community School.",
    "St Aidan's C of E Academy excluded him twice.",
    # contact details
    "Mother's mobile is 07700 900123.",
    "Call the father on 0113 496 0801.",
    "Contact via jane.smith1985@example.invalid",
    "+44 7700 900987 is the grandmother's number.",
    "Phone: 07700-900-456",
    "Mother can be reached on ０７７００ ９００１２３.",
    # mixed real-world notes
    "Child A (NHS {nhs}) of 12 acacia avenue, ne1 4st.",
    "Kwame Asante, DOB 02/02/1990, is the father.",
    "Seen with Mrs Begum at 14 Park Road.",
    "Halima Osman (b. 3.4.2015) attends Hilltop Primary School.",
]

BENIGN = [
    "Police and Children's Social Care held a strategy discussion.",
    "The GP practice did not share the referral.",
    "Child A was seen by the health visitor on two occasions.",
    "A Section 47 enquiry was opened the same day.",
    "Working Together 2023 sets out the expectations for rapid reviews.",
    "The Designated Nurse for Safeguarding attended the rapid review.",
    "Children's Social Care and the Police attended the strategy meeting on 3 March 2026.",
    "The Independent Reviewing Officer chaired the looked-after review in May.",
    "In June the family moved to temporary accommodation.",
    "The health visitor completed the new birth visit on day 14.",
    "Early Help was offered in January but declined by Mother.",
    "The Designated Safeguarding Lead made a referral to the MASH.",
    "A child protection conference was held within 15 working days.",
    "Child A was made subject to a child protection plan under the category of neglect.",
    "Sibling 1 and Sibling 2 were placed with foster carers under Section 20.",
    "The Local Authority Designated Officer was consulted about the allegation.",
    "CAMHS declined the referral as it did not meet the threshold.",
    "The ambulance service attended at 02:14 and conveyed Child A to hospital.",
    "Father was arrested and released under investigation.",
    "The rapid review must be completed within 15 working days of notification.",
    "Northumbria Police shared information with the MARAC.",
    "The NSPCC helpline received an anonymous call in April.",
    "Barnardo's provided a family support worker for twelve weeks.",
    "Cafcass completed a safeguarding letter for the Family Court.",
    "Ofsted rated the service as requires improvement in 2024.",
    "The Youth Justice Service worked with the older sibling.",
    "Probation were not aware that Father had a new partner with children.",
    "Women's Aid supported Mother through the IDVA service.",
    "The school nurse saw Child A at a drop-in session.",
    "The paediatrician completed a child protection medical.",
    "A skeletal survey was requested for Baby C.",
    "The Named GP reviewed the records of all three children.",
    "Graded Care Profile 2 was used to assess neglect.",
    "Signs of Safety mapping was completed with the family.",
    "The Was Not Brought policy was not followed by the clinic.",
    "Operation Encompass notifications were sent to the school twice.",
    "Mother was referred to the perinatal mental health team.",
    "The Family Nurse Partnership worked with Mother from 16 weeks pregnant.",
    "Child A was known to the 0-19 service and the Children's Centre.",
    "The Public Law Outline was initiated in September.",
    "An Initial Child Protection Conference was held on 12 February.",
    "Care proceedings were issued under Section 31 of the Children Act 1989.",
    "The Child Safeguarding Practice Review Panel was notified within five working days.",
    "The Multi-Agency Safeguarding Hub received three contacts in six months.",
    "Domestic abuse was a feature in 4 of the 6 police call-outs.",
    "The threshold for Section 17 was met but no assessment was completed.",
    "Child A's Primary School raised concerns about hunger and poor hygiene.",
    "The Virtual School Head was consulted about the exclusion.",
    "The pupil referral unit reported good engagement.",
    "The review covers the period from 1 April 2025 to 31 March 2026.",
    "Chronology entries were received from 11 agencies.",
    "Child A was 14 months old at the time of the incident.",
    "Sibling 1 is 7 and Sibling 2 is 4.",
    "Mother is 23 and Father is 27.",
    "The case was stepped down to Early Help in August 2025.",
    "Attendance fell to 62% in the spring term.",
    "The strategy discussion took place at 10:30 on Monday.",
    "Housing services were aware of rent arrears of £1,200.",
    "The family had three house moves in 18 months.",
    "An interpreter was not used at the health visitor contact.",
    "Father's mental health deteriorated after losing his job.",
    "The learning event is planned for Tuesday 14 April 2026.",
    "Actions 3 and 4 are rated Amber; action 7 is Red.",
    "RR-2026-001 is at day 12 of 15.",
    "The review was signed off by the Chair of the Partnership.",
    "Multi-agency training on coercive control will be refreshed.",
    "Think Family practice was not evident in adult services.",
    "The Channel panel considered a Prevent referral.",
    "MAPPA level 2 management was in place for Father.",
    "The ICB Designated Doctor provided a health overview.",
    "The emergency department did not complete the safeguarding checklist.",
    "Midwifery services recorded that Mother booked late at 24 weeks.",
    "The Team Around the Family met four times.",
    "Neglect was identified but not named as such.",
    "Practitioners described Mother as hard to engage.",
    "No single agency had the full picture.",
    "Information sharing between adult and children's services was limited.",
    "The Panel asked for the rapid review to be upgraded to a local review.",
    "Christmas and New Year delayed the strategy meeting.",
    "March and April saw a rise in police call-outs to the address.",
    "The case was discussed at the Thursday safeguarding huddle.",
    "Mark Complete when all agency reports are in.",
    "Will Police attend the learning event?",
    "Grace Period for late returns ends on Friday.",
    "May is when the annual report is published.",
    "Faith groups were contacted through the community safety partnership.",
    "Hope Street Adolescent Service gave advice on exploitation.",
    "The Children and Social Work Act 2017 changed the review arrangements.",
    "The Domestic Abuse Act 2021 recognises children as victims.",
    "Keeping Children Safe in Education 2024 applies to the school.",
    "The Local Safeguarding Children Partnership agreed the terms of reference.",
    "Northshire County Council and Northshire Police are the lead partners.",
    "Tower Hamlets Children's Services shared their records.",
    "The family had moved from Milton Keynes to Northshire in 2023.",
    "The child was born in hospital and discharged at 3 days old.",
    "Child A was born at 32 weeks and spent six weeks in the neonatal unit.",
    "The birth parents were informed of the outcome on 5 May 2026.",
    "Baby C was born prematurely; the notification was sent on 3 March 2026.",
    "Section 11 audits were returned by 9 of the 10 agencies.",
    "The 2023 guidance was followed.",
    "Serious incident notification submitted within 5 working days.",
    "The Crown Prosecution Service advised no further action.",
    "The Coroner opened an inquest in June.",
    "The child death overview panel will review the case.",
    "The SENCO coordinated an EHCP assessment.",
    "CP plan ended after 9 months.",
    "Child A is in Year 6 and Sibling 1 is in Reception.",
    "KS2 results were not relevant to the review.",
    "2 Crown Court hearings were adjourned.",
    "The meeting is on Teams at 9:30.",
    "A 20 minute drive separated the two addresses.",
    "Three meetings took place in the first week.",
    "The family lived in a two-bedroom flat on the third floor.",
    "Father moved out of the family home after the incident.",
    "Forest School sessions were part of the nursery day.",
    "The local primary school offered a place in September.",
    "A mainstream primary school place was found.",
    "Child A was seen at the Royal Victoria Infirmary.",
    "Queen Elizabeth Hospital shared the discharge summary.",
    "Great Ormond Street Hospital provided a specialist opinion.",
    "Child A's weight dropped from the 50th to the 9th centile.",
    "The referral was rated as Red, Amber, Green by the MASH.",
    "0800 1111 is Childline's number, shared with Child A.",
    "Contact the business unit on the shared inbox.",
    "The chronology has 146 entries from 9 agencies.",
    "Sergeant and Detective Constable roles were involved.",
    "The Head of Service for Children's Social Care agreed the plan.",
    "Merthyr Tydfil and Rhondda Cynon Taf shared learning from a similar case.",
    "Cafcass Cymru was involved in the private law case.",
    "The Assistant Director signed the notification.",
]

DEV = build(IDENTIFYING, BENIGN, "dev", seed=16)


def corpus() -> list[Line]:
    from tests.guard_corpus_held_out import HELD_OUT

    return DEV + HELD_OUT
