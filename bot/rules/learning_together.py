"""The Learning Together review model as data (bot/rules/review_models/learning-together.yaml): the
case group meetings of a review plan with their purposes, the typology of findings, the three kinds of
recommendation and the family's reminders (pure: no database).

Why data: the purposes, the default number of follow-on meetings and the wording of each category
paraphrase their sources and may be corrected; the file carries a version, which a plan keeps.
"""

from __future__ import annotations

import functools
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Purpose(_Strict):
    purpose: str


class CaseGroup(_Strict):
    follow_ons_default: int = Field(ge=0)
    follow_ons_max: int = Field(ge=1)
    introductory: Purpose
    follow_ons: tuple[Purpose, ...] = Field(min_length=1)


class Conversations(_Strict):
    before: str


class Category(_Strict):
    id: str
    label: str = Field(max_length=75)  # a Slack option's text
    wording: str
    verification: str
    source: str


class RecommendationKind(_Strict):
    id: str
    label: str = Field(max_length=75)
    wording: str


class Family(_Strict):
    update_every_days: int = Field(ge=1)
    comment_reminder_days_before: int = Field(ge=0)


class ReviewModel(_Strict):
    id: str
    version: str
    name: str
    sources: tuple[str, ...]
    case_group: CaseGroup
    conversations: Conversations
    typology: tuple[Category, ...] = Field(min_length=1)
    recommendation_kinds: tuple[RecommendationKind, ...] = Field(min_length=1)
    recommendation_source: str
    family: Family

    def follow_on_purpose(self, n: int) -> str:
        """The purpose of the n-th follow-on meeting (1 for the first); later ones take the last."""
        purposes = self.case_group.follow_ons
        return purposes[min(max(n, 1), len(purposes)) - 1].purpose

    def plan_purposes(self, follow_ons: int) -> list[str]:
        """Each case group meeting of a plan in order: the introductory one, then the follow-ons."""
        return [
            self.case_group.introductory.purpose,
            *(self.follow_on_purpose(n) for n in range(1, follow_ons + 1)),
        ]

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.typology if c.id == category_id), None)

    def recommendation_kind(self, kind_id: str) -> RecommendationKind | None:
        return next((k for k in self.recommendation_kinds if k.id == kind_id), None)


@functools.cache
def learning_together() -> ReviewModel:
    """The shipped model, validated once (the file ships with the code)."""
    text = resources.files("bot.rules").joinpath("review_models", "learning-together.yaml").read_text("utf-8")
    return ReviewModel.model_validate(yaml.safe_load(text))
