"""How long a partnership keeps a closed case's records (`retention:` in the partnership file), and
when that ends. Pure: no database, no Slack.

The period runs from the day the case closed, in whole years (a case closed on 29 February ends on
28 February of a year without one). `reviewbot records due` lists closed cases whose period has ended;
`reviewbot records purge` removes their content and leaves a tombstone.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

MAX_YEARS = 100


class Retention(BaseModel):
    """``retention: {years: 7}``: keep a closed case's records this many years after it closed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    years: int = Field(gt=0, le=MAX_YEARS)


def retention_ends(closed_on: date, retention: Retention) -> date:
    """The first day a case closed on ``closed_on`` is past its retention period."""
    year = closed_on.year + retention.years
    try:
        return closed_on.replace(year=year)
    except ValueError:  # 29 February into a year without one
        return date(year, 2, 28)


def is_due(closed_on: date, retention: Retention, today: date) -> bool:
    return today >= retention_ends(closed_on, retention)
