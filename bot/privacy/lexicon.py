"""Is this word ordinary English (or safeguarding vocabulary), or could it be part of a name?

The guard finds names of any origin by what they are not: two capitalised words next to each other
that are neither English words nor the vocabulary of safeguarding practice ("Oluwaseun Adeyemi",
"Wojciech Lewandowski") are read as a name, without any list of names to be on. The English side
comes from the word-frequency dictionary that ships with ``pyspellchecker`` (about 160,000 words
with counts from a large corpus of subtitles); words rarer than :data:`COMMON_COUNT` are treated as
unknown, because rare entries are mostly names and misspellings. That dictionary spells American
English, so British spellings are folded before look-up (centre, behaviour, paediatric, programme).
The domain side is :data:`DOMAIN_WORDS` below: agency names and acronyms, role titles and
institution words the dictionary lacks or ranks too low.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["COMMON_COUNT", "DOMAIN_WORDS", "PLACE_WORDS", "is_domain_word", "is_english"]

COMMON_COUNT = 120
"""A word seen fewer times than this in pyspellchecker's English counts is not known as English."""

DOMAIN_WORDS: frozenset[str] = frozenset(
    """
    safeguarding multiagency interagency nspcc barnardo barnardos cafcass cymru ofsted camhs mash marac
    mappa lado senco sencos ehcp send idva isva cse cce fgm yot yjs prevent channel icb icbs ccg nhs gp
    gps dsl dsls iro iros cpp cp cin lac cla pru prus dfe ons asc csc acs hv hvs sw sws ptsd adhd asd
    asc mh mhst cahms cpn cpns ed ae aande paediatric paediatrics paediatrician paediatricians
    neonatal perinatal antenatal postnatal midwifery midwife midwives haematology orthopaedic
    radiology radiologist infirmary hospital hospitals clinic surgery practice trust trusts
    constabulary police policing council councils borough county metropolitan unitary authority
    partnership partnerships panel board unit team teams hub service services centre center
    directorate department office agency agencies commissioner coroner inquest tribunal court courts
    magistrates crown family youth justice probation prison custody hmp hmyoi cps
    multi inter pre post non co sub ex self anti step half great well re un
    worker workers officer officers practitioner practitioners manager managers lead leads chair
    coordinator co-ordinator advisor adviser advocate nurse nurses visitor visitors doctor consultant
    registrar therapist psychologist psychiatrist counsellor keyworker caseworker
    headteacher head teacher teachers governor governors senco dsl deputy designated named
    independent reviewing assistant director executive principal senior interim acting
    strategy strategic conference conferences core group groups meeting meetings review reviews
    rapid local national serious incident notification learning briefing brief event
    section sections act acts children childrens child childs working together guidance
    statutory threshold thresholds assessment assessments plan plans chronology chronologies
    referral referrals contact contacts enquiry enquiries allegation allegations disclosure
    neglect abuse exploitation trafficking grooming coercive coercion control domestic
    early help universal targeted specialist tier tiers step-down step-up stepdown stepup
    looked after care leaver leavers fostering foster kinship adoption adoptive special
    guardianship guardian guardians residential accommodation supported housing homelessness
    education school schools academy academies college colleges nursery nurseries primary
    secondary infant infants junior juniors reception year years term terms virtual
    emergency department ambulance paramedic paramedics fire rescue
    mental health substance misuse alcohol drugs recovery treatment
    mother father mum dad mam parent parents carer carers sibling siblings stepfather stepmother
    stepdad stepmum grandmother grandfather grandparent grandparents nan nana grandad grandma grandpa
    aunt auntie uncle cousin brother sister half-brother half-sister partner ex-partner boyfriend
    girlfriend husband wife lodger neighbour neighbours baby babies infant toddler teenager
    pseudonym pseudonyms rr
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    christmas easter ramadan eid diwali hanukkah half-term
    england wales scotland ireland northern britain uk gb english welsh scottish irish british
    signs safety graded profile gcp2 encompass operation think aces ace icon
    teams zoom slack email phone mobile text whatsapp
    """.split()
)
"""Lower-case words of safeguarding practice that are never part of a person's name here."""

PLACE_WORDS: frozenset[str] = frozenset(
    """
    northshire southshire eastshire westshire northtown southtown
    aberdeen aberdeenshire anglesey angus antrim argyll armagh barnet barnsley bath bedford
    bedfordshire belfast bexley birmingham blackburn blackpool blaenau gwent bolton bournemouth
    bracknell bradford brent brighton bristol bromley buckinghamshire bury calderdale cambridge
    cambridgeshire camden cardiff carmarthenshire ceredigion cheshire clackmannanshire conwy cornwall
    coventry croydon cumbria cumberland darlington denbighshire derby derbyshire devon doncaster dorset
    dudley dumfries galloway dundee durham ealing edinburgh enfield essex falkirk fife flintshire
    gateshead glasgow gloucestershire greenwich gwynedd hackney halton hammersmith fulham hampshire
    haringey harrow hartlepool havering herefordshire hertfordshire highland hillingdon hounslow
    inverclyde islington kensington chelsea kent kingston hull kirklees knowsley lambeth lancashire
    leeds leicester leicestershire lewisham lincolnshire liverpool luton manchester medway merthyr
    tydfil merton middlesbrough midlothian milton keynes monmouthshire moray neath talbot newcastle
    newham newport norfolk northamptonshire northumberland northumbria nottingham nottinghamshire
    oldham orkney oxford oxfordshire pembrokeshire perth kinross peterborough plymouth portsmouth
    powys reading redbridge redcar cleveland renfrewshire rhondda cynon taf richmond rochdale
    rotherham rutland salford sandwell sefton sheffield shetland shropshire slough solihull somerset
    southampton southend southwark staffordshire stockport stockton stoke trent suffolk sunderland
    surrey sutton swansea swindon tameside telford wrekin thurrock torbay torfaen tower hamlets
    trafford wakefield walsall waltham forest wandsworth warrington warwickshire westminster wigan
    wiltshire windsor maidenhead wirral wokingham wolverhampton worcestershire wrexham york yorkshire
    tyneside teesside wearside merseyside humberside lothian lanarkshire ayrshire dunbartonshire
    stirling tyne wear humber thames severn mersey tees
    """.split()
)
"""Lower-case words of UK local-authority and place names ("Milton Keynes", "Merthyr Tydfil")."""

# British spellings, folded to the American ones the dictionary uses: one rule at a time, then two.
_BRITISH = [
    (re.compile(r"our(s|ed|ing|ite|ites|able|ably|ful|less|hood)?$"), r"or\1"),
    (re.compile(r"(?<=[^aeiou][bcdfghkmnpstv])re(s|d)?$"), r"er\1"),
    (re.compile(r"is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"oe(?!s\b)"), "e"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"mme(s)?$"), r"m\1"),
    (re.compile(r"ence(s)?$"), r"ense\1"),
    (re.compile(r"ll(ed|ing|er|ers|or|ors)$"), r"l\1"),
    (re.compile(r"gement(s)?$"), r"gment\1"),
]


@cache
def _counts() -> dict[str, int]:
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def _variants(word: str) -> set[str]:
    out = {word}
    if word.endswith("'s"):
        out.add(word[:-2])
    if word.endswith("s'"):
        out.add(word[:-1])
    for base in list(out):
        if len(base) > 3 and base.endswith("s"):
            out.add(base[:-1])
        if len(base) > 4 and base.endswith("es"):
            out.add(base[:-2])
    for base in list(out):
        for pattern, repl in _BRITISH:
            once = pattern.sub(repl, base)
            if once != base:
                out.add(once)
                for pattern2, repl2 in _BRITISH:
                    out.add(pattern2.sub(repl2, once))
    return out


@cache
def is_domain_word(word: str) -> bool:
    """A word of safeguarding practice or a UK place, in any case ("Cafcass", "MASH", "Tydfil")."""
    lower = word.lower()
    return any(v in DOMAIN_WORDS or v in PLACE_WORDS for v in _variants(lower)) or (
        "-" in lower and all(is_domain_word(part) or is_english(part) for part in lower.split("-") if part)
    )


@cache
def is_english(word: str) -> bool:
    """True when ``word`` (any case) is a common English word, British spellings included."""
    lower = word.lower()
    counts = _counts()
    if any(counts.get(v, 0) >= COMMON_COUNT for v in _variants(lower)):
        return True
    if "-" in lower:
        parts = [p for p in lower.split("-") if p]
        return bool(parts) and all(is_english(p) or p in DOMAIN_WORDS for p in parts)
    return False
