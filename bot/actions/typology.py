"""The Learning Together vocabulary for findings, as data (process-rules.md section 7).

Why data: the wording of each category is a paraphrase of its source. Categories 1-4 were seen in
SCIE's guide 24; 5 and 6 (family-professional interaction, human judgement and reasoning) are listed,
with the other four, in the CWRC Working Paper 17 (Munro and Lushey, 2013), which quotes the six
patterns of Fish et al. 2009 (p.45). Keeping each with its source and verification tag lets a reviewer
correct the wording here, and shows people how sure we are.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FindingKind(StrEnum):
    """Learning Together findings are either recommendations or issues for the board to consider
    (process-rules.md conflict C13: support both)."""

    RECOMMENDATION = "recommendation"
    BOARD_ISSUE = "board_issue"


FINDING_KIND_LABELS: dict[FindingKind, str] = {
    FindingKind.RECOMMENDATION: "Recommendation",
    FindingKind.BOARD_ISSUE: "Issue for the board to consider",
}


@dataclass(frozen=True)
class Category:
    id: str
    label: str  # short enough for a Slack option (75 characters)
    wording: str  # what the category covers, paraphrasing the source
    verification: str  # process-rules.md tag: V (seen in the source), U (not verified)
    source: str


_GUIDE = "SCIE guide 24, patterns (process-rules.md section 7)"
_CWRC = "CWRC Working Paper 17 (Munro and Lushey, 2013), listing Fish et al. 2009 p.45"

TYPOLOGY: tuple[Category, ...] = (
    Category(
        "human_tool",
        "Human–tool operation",
        "How people and the tools they use work together: forms, IT systems, assessment frameworks.",
        "V",
        _GUIDE,
    ),
    Category(
        "human_management_system",
        "Human–management system operation",
        "How management systems (supervision, allocation, resources, procedures) shape frontline practice.",
        "V",
        _GUIDE,
    ),
    Category(
        "incidents_crises",
        "Multi-agency response to incidents and crises",
        "Communication and collaboration in multi-agency working in response to incidents or crises.",
        "V",
        _GUIDE,
    ),
    Category(
        "longer_term_work",
        "Multi-agency assessment and longer-term work",
        "Communication and collaboration in multi-agency working in assessment and longer-term work.",
        "V",
        _GUIDE,
    ),
    Category(
        "family_professional",
        "Family–professional interaction",
        "How professionals and the family engage with each other.",
        "V",
        _CWRC,
    ),
    Category(
        "human_reasoning",
        "Human judgement and reasoning",
        "Cognitive and emotional biases in professional judgement and reasoning.",
        "V",
        _CWRC,
    ),
)

CATEGORIES: dict[str, Category] = {c.id: c for c in TYPOLOGY}


@dataclass(frozen=True)
class RecommendationKind:
    id: str
    label: str
    wording: str
    verification: str = "V"
    source: str = "CWRC Working Paper 17 (2013), citing Fish et al. 2009 (process-rules.md section 7)"


RECOMMENDATION_KINDS: tuple[RecommendationKind, ...] = (
    RecommendationKind(
        "local",
        "Clear-cut: agencies can put it in place locally",
        "A clear-cut solution that all relevant agencies can address locally.",
    ),
    RecommendationKind(
        "competing",
        "No precise solution: competing priorities",
        "No precise solution, because of competing priorities and limited resources.",
    ),
    RecommendationKind(
        "research",
        "Needs research and development",
        "Needs further research and development, possibly at national level.",
    ),
)

RECOMMENDATION_KIND_BY_ID: dict[str, RecommendationKind] = {k.id: k for k in RECOMMENDATION_KINDS}


def category_label(category_id: str) -> str:
    category = CATEGORIES.get(category_id)
    return category.label if category else category_id.replace("_", " ")
