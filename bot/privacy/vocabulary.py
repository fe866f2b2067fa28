"""Words of safeguarding prose that are never part of a name: months, weekdays and the capitalised
words of practice that are not surnames.

Several recognisers share these. The name recogniser never reads them as part of a name ("Will
Police attend?", "Grace Period", "in May Police attended"); the street and school recognisers do not
count them as the distinctive part of a street's or a school's name ("at The Close"); the date of
birth recogniser builds its month pattern from :data:`MONTHS`.
"""

from __future__ import annotations

__all__ = ["MONTHS", "NOT_SURNAMES", "WEEKDAYS"]

MONTHS = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

# Capitalised words that appear in safeguarding prose and are not surnames. A forename followed by
# one of these is not a full name ("Will Police attend?", "Grace Period", "Jack Children's Services").
NOT_SURNAMES = frozenset(
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
    Teams Zoom Worker Workers Infirmary Hub Act Guidance Together Panel Project House Home Homes
    Head Member Members Lead Aid Support Recovery Network Foundation Charity Forum Network Alliance
    St Saint Day Night Eve Morning Evening Afternoon Weekend
    """.split()
) | frozenset(MONTHS)
