"""The key practice episode modal: building it and reading a submission (pure).

An episode has a short title, the period it covers, the agencies involved and its contributory
factors (one per line). The titles and factors are free text and pass the identifier guard (in the
listener, which knows the partnership).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.slack.blocks import input_block, option, plain_text
from bot.slack.ids import CallbackId
from bot.slack.payloads import EpisodeMetadata

TITLE_LIMIT = 120
FACTOR_LIMIT = 200
MAX_FACTORS = 12
FACTORS_TEXT_LIMIT = 2400


@dataclass(frozen=True)
class EpisodeForm:
    title: str
    period_from: date | None
    period_to: date | None
    agencies: tuple[str, ...]
    factors: tuple[str, ...]


@dataclass(frozen=True)
class EpisodeShown:
    """What the modal shows of an episode being edited."""

    episode_id: int
    number: int
    title: str
    period_from: date | None
    period_to: date | None
    agencies: tuple[str, ...]
    factors: tuple[str, ...]


def episode_modal(
    case_id: int, reference: str, agencies: list[tuple[str, str]], shown: EpisodeShown | None = None
) -> dict[str, Any]:
    title: dict[str, Any] = {"type": "plain_text_input", "max_length": TITLE_LIMIT}
    start: dict[str, Any] = {"type": "datepicker"}
    end: dict[str, Any] = {"type": "datepicker"}
    chosen: dict[str, Any] = {
        "type": "multi_static_select",
        "placeholder": plain_text("Choose agencies"),
        "options": [option(a_id, name[:75]) for a_id, name in agencies],
    }
    factors: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": True,
        "max_length": FACTORS_TEXT_LIMIT,
    }
    if shown is not None:
        title["initial_value"] = shown.title
        if shown.period_from:
            start["initial_date"] = shown.period_from.isoformat()
        if shown.period_to:
            end["initial_date"] = shown.period_to.isoformat()
        initial = [option(a_id, name[:75]) for a_id, name in agencies if a_id in shown.agencies]
        if initial:
            chosen["initial_options"] = initial
        if shown.factors:
            factors["initial_value"] = "\n".join(shown.factors)
    blocks: list[dict[str, Any]] = [
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"Case *{reference}*. A key practice episode is a point in the case "
                    "where practice mattered. "
                    "No names, dates of birth, addresses or schools.",
                }
            ],
        },
        input_block(
            "title", "Title", title, hint="A short title, e.g. 'Referral after the school's concern'."
        ),
        input_block("period_from", "From", start, optional=True),
        input_block("period_to", "To", end, optional=True),
        input_block("agencies", "Agencies involved", chosen, optional=True),
        input_block(
            "factors",
            "Contributory factors",
            factors,
            optional=True,
            hint=f"One per line (at most {MAX_FACTORS}): what made the practice more or less likely.",
        ),
    ]
    metadata = EpisodeMetadata(case=case_id, episode=shown.episode_id if shown else None).dump()
    return {
        "type": "modal",
        "callback_id": CallbackId.EPISODE_MODAL,
        "title": plain_text("Key practice episode"),
        "submit": plain_text("Save"),
        "close": plain_text("Cancel"),
        "blocks": blocks,
        "private_metadata": metadata,
    }


def _state(values: dict[str, Any], block: str) -> dict[str, Any]:
    return ((values.get(block) or {}).get(block)) or {}


def _day(values: dict[str, Any], block: str) -> date | None:
    raw = _state(values, block).get("selected_date")
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def read_episode(
    values: dict[str, Any], known_agencies: set[str]
) -> tuple[EpisodeForm | None, dict[str, str]]:
    errors: dict[str, str] = {}
    title = str(_state(values, "title").get("value") or "").strip()
    if not title:
        errors["title"] = "Give the episode a short title."
    elif len(title) > TITLE_LIMIT:
        errors["title"] = f"Keep the title to {TITLE_LIMIT} characters."
    start, end = _day(values, "period_from"), _day(values, "period_to")
    if start and end and end < start:
        errors["period_to"] = "The end of the period can't be before its start."
    agencies = tuple(str(o.get("value")) for o in _state(values, "agencies").get("selected_options") or [])
    if set(agencies) - known_agencies:
        errors["agencies"] = "Choose agencies from the list."
    lines = str(_state(values, "factors").get("value") or "").splitlines()
    factors = tuple(f for f in (line.strip(" -•\t") for line in lines) if f)
    if len(factors) > MAX_FACTORS:
        errors["factors"] = f"Give at most {MAX_FACTORS} contributory factors, one per line."
    elif any(len(f) > FACTOR_LIMIT for f in factors):
        errors["factors"] = f"Keep each contributory factor to {FACTOR_LIMIT} characters."
    if errors:
        return None, errors
    return EpisodeForm(title, start, end, agencies, factors), {}
