"""The Learning Together vocabulary for findings (process-rules.md section 7), read from the review
model's data (bot/rules/review_models/learning-together.yaml, via bot.rules.learning_together).

Why data: the wording of each category is a paraphrase of its source. Categories 1-4 were seen in
SCIE's guide 24; 5 and 6 (family-professional interaction, human judgement and reasoning) are listed,
with the other four, in the CWRC Working Paper 17 (Munro and Lushey, 2013), which quotes the six
patterns of Fish et al. 2009 (p.45). Keeping each with its source and verification tag lets a reviewer
correct the wording in the data file, and shows people how sure we are.
"""

from __future__ import annotations

from enum import StrEnum

from bot.rules.learning_together import Category, RecommendationKind, learning_together


class FindingKind(StrEnum):
    """Learning Together findings are either recommendations or issues for the board to consider
    (process-rules.md conflict C13: support both)."""

    RECOMMENDATION = "recommendation"
    BOARD_ISSUE = "board_issue"


FINDING_KIND_LABELS: dict[FindingKind, str] = {
    FindingKind.RECOMMENDATION: "Recommendation",
    FindingKind.BOARD_ISSUE: "Issue for the board to consider",
}

TYPOLOGY: tuple[Category, ...] = learning_together().typology
CATEGORIES: dict[str, Category] = {c.id: c for c in TYPOLOGY}
RECOMMENDATION_KINDS: tuple[RecommendationKind, ...] = learning_together().recommendation_kinds
RECOMMENDATION_KIND_BY_ID: dict[str, RecommendationKind] = {k.id: k for k in RECOMMENDATION_KINDS}


def category_label(category_id: str) -> str:
    category = CATEGORIES.get(category_id)
    return category.label if category else category_id.replace("_", " ")
