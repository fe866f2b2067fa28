"""The working calendar a partnership's own business runs on (actions, digests, board summaries).

Case deadlines use the calendar frozen into the case's rule set (bot.deadlines.planning.case_calendar);
everything that belongs to the partnership rather than one case uses its nation's bank holidays plus
its local closure days.
"""

from __future__ import annotations

from bot.calendar.working_days import WorkingCalendar
from bot.config.partnership import Partnership


def partnership_calendar(partnership: Partnership) -> WorkingCalendar:
    return WorkingCalendar(
        partnership.nation, [*partnership.rules.extra_closure_days, *partnership.closure_days]
    )
