"""Welsh child practice reviews: which kind of review a case needs.

Why a function: the choice between a concise and an extended child practice review is a rule in the
regulations (process-rules.md W2 [V]), not a judgement, so the bot can state it from one fact the
board records.
"""

from __future__ import annotations

from typing import Literal

CprType = Literal["concise", "extended"]


def wales_cpr_type(on_register_or_looked_after_in_previous_6_months: bool) -> CprType:
    """'extended' if the child was on the child protection register and/or looked after at any time in
    the 6 months before the event (or before the date the impairment was identified; care leavers who
    turned 18 included), otherwise 'concise' (W2, Safeguarding Boards (General) (Wales) Regulations
    2015, restating the 2012 amendment).
    """
    return "extended" if on_register_or_looked_after_in_previous_6_months else "concise"
