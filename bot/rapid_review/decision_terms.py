"""The words of the partners' decision: its choices, their labels (by nation where the name differs),
the length limits and the form as the modal submits it (pure: no database).

bot.rapid_review.decision checks and records a decision; the blocks, the modal and the pack show one
with these words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.calendar.working_days import Nation

RATIONALE_LIMIT = 1500
LEARNING_LIMIT = 1500
EPISODE_LIMIT = 120
MAX_EPISODES = 12
CONSTRAINT_NOTE_LIMIT = 300
ACTION_LIMIT = 300
ACTION_SLOTS = 3


class Recommendation(StrEnum):
    LOCAL_REVIEW = "lcspr"
    OTHER_LOCAL_REVIEW = "other_local_review"
    NO_FURTHER_REVIEW = "no_further_review"


class NationalReviewView(StrEnum):
    RECOMMENDED = "recommended"
    NOT_RECOMMENDED = "not_recommended"
    FOR_THE_PANEL = "for_the_panel"
    NOT_ASKED = "not_asked"  # outside England: only England's Panel considers national reviews


class ParallelProcess(StrEnum):
    CRIMINAL_INVESTIGATION = "criminal_investigation"
    CORONER = "coroner"
    FAMILY_COURT = "family_court"
    CHILD_DEATH_REVIEW = "child_death_review"
    OTHER_REVIEW = "other_review"


class Constraint(StrEnum):
    NOTHING_TO_FAMILY = "nothing_to_family"
    NO_PRACTITIONER_CONTACT = "no_practitioner_contact"
    PUBLICATION_ON_HOLD = "publication_on_hold"


LOCAL_REVIEW_NAMES: dict[Nation, str] = {
    Nation.ENGLAND: "Local child safeguarding practice review (LCSPR)",
    Nation.WALES: "Single unified safeguarding review",
    Nation.SCOTLAND: "Learning review",
    Nation.NORTHERN_IRELAND: "Case management review",
}
NATIONAL_BODY: dict[Nation, str] = {
    Nation.ENGLAND: "the Panel",
    Nation.WALES: "the Welsh Government",
    Nation.SCOTLAND: "the Care Inspectorate",
    Nation.NORTHERN_IRELAND: "the Department of Health",
}


def recommendation_label(value: str, nation: str, review_name: str | None = None) -> str:
    """How a recommendation reads: a local review by the name the case's review has (a Welsh case begun
    before 1 October 2024 stays a child practice review), else the nation's current name."""
    if value == Recommendation.LOCAL_REVIEW:
        return review_name or LOCAL_REVIEW_NAMES.get(Nation(nation), "Local review")
    return {
        "other_local_review": "Another kind of local learning review",
        "no_further_review": "No further review",
    }.get(value, value)


NATIONAL_REVIEW_LABELS = {
    NationalReviewView.RECOMMENDED: "A national review may be warranted",
    NationalReviewView.NOT_RECOMMENDED: "A national review is not thought necessary",
    NationalReviewView.FOR_THE_PANEL: "No view: for the Panel to consider",
    NationalReviewView.NOT_ASKED: "Not asked (national reviews are England's Panel's)",
}
# The choices the form offers where the question is asked (England).
NATIONAL_REVIEW_CHOICES = [v for v in NationalReviewView if v is not NationalReviewView.NOT_ASKED]
PARALLEL_PROCESS_LABELS = {
    ParallelProcess.CRIMINAL_INVESTIGATION: "Criminal investigation or prosecution",
    ParallelProcess.CORONER: "Coroner's inquest",
    ParallelProcess.FAMILY_COURT: "Family court proceedings",
    ParallelProcess.CHILD_DEATH_REVIEW: "Child death review",
    ParallelProcess.OTHER_REVIEW: "Other reviews (single-agency, domestic homicide)",
}
CONSTRAINT_LABELS = {
    Constraint.NOTHING_TO_FAMILY: "Police ask that nothing is shared with the family yet",
    Constraint.NO_PRACTITIONER_CONTACT: "Speak to practitioners only once the police agree",
    Constraint.PUBLICATION_ON_HOLD: "Publication must wait for the parallel proceedings",
}


@dataclass(frozen=True)
class ImmediateActionInput:
    description: str
    owner_agency: str
    due_on: date


@dataclass
class DecisionInput:
    """What the modal (or a test) submits, already read from Slack's state; checked by :func:`check`."""

    recommendation: str | None
    national_review: str | None
    rationale: str | None
    learning: str | None = None
    key_practice_episodes: str | None = None  # one per line
    parallel_processes: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    constraint_note: str | None = None
    actions: list[tuple[str | None, str | None, date | None]] = field(default_factory=list)
