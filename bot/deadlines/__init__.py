"""The life of a deadline: upcoming, due soon, due today, overdue, met (on time or late).

A statutory due date never moves; a revised target may be agreed (recorded elsewhere with the reason
and who agreed it). Status is judged against the revised target when one exists, and whether the
statutory date was met is reported separately, so a late-but-agreed completion is never shown as on
time against the statute.
"""

from bot.deadlines.status import DeadlineStatus, deadline_status, met_against_statutory, working_days_left

__all__ = ["DeadlineStatus", "deadline_status", "met_against_statutory", "working_days_left"]
