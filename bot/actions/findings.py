"""Recording a review finding: its Learning Together typology category, and whether it is a
recommendation (of one of the three kinds) or an issue for the board to consider.

A recommendation can then become an action (the saved view offers a button). The summary is free
text and passes the identifier guard; the audit row holds only ids and categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import audit
from bot.access import Permission, decide
from bot.actions.models import Finding
from bot.actions.typology import (
    FINDING_KIND_LABELS,
    RECOMMENDATION_KIND_BY_ID,
    RECOMMENDATION_KINDS,
    TYPOLOGY,
    FindingKind,
    category_label,
)
from bot.cases.idempotency import earlier_answer, remember_answer
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.errors import NotFound
from bot.learning_together.episodes import link_finding
from bot.runtime.services import Services
from bot.slack.blocks import option, plain_text
from bot.slack.ids import ActionId, CallbackId
from bot.slack.mrkdwn import escape
from bot.slack.payloads import CaseMetadata

SUMMARY_LIMIT = 500
IDEMPOTENCY_SCOPE = "finding_modal"


@dataclass(frozen=True)
class FindingForm:
    typology: str
    kind: FindingKind
    recommendation_kind: str | None
    summary: str
    episodes: tuple[int, ...] = ()  # the key practice episodes the finding comes from (ids)


@dataclass(frozen=True)
class RecordedFinding:
    finding_id: int
    case_id: int
    reference: str
    kind: FindingKind
    may_add_action: bool


async def record_finding(
    services: Services,
    case_id: int,
    *,
    actor_user_id: str,
    form: FindingForm,
    idempotency_key: str | None = None,
) -> RecordedFinding:
    """Add the finding; a form submitted twice (same ``idempotency_key``) records it once.

    ``actor_user_id`` has been admitted by the gate (RECORD_FINDING on this case); ``may_add`` only
    decides whether the saved view offers "Add as action".
    """
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        actor = services.actor(actor_user_id, case.partnership_id)
        may_add = decide(actor, Permission.MANAGE_ACTION, facts_of(case)).allowed
        if idempotency_key is not None:
            earlier = await earlier_answer(session, IDEMPOTENCY_SCOPE, idempotency_key)
            if earlier is not None:
                finding_id = int(earlier["finding_id"])
                return RecordedFinding(finding_id, case.id, case.reference, form.kind, may_add)
        finding = Finding(
            partnership_id=case.partnership_id,
            case_id=case.id,
            typology=form.typology,
            kind=form.kind.value,
            recommendation_kind=form.recommendation_kind if form.kind is FindingKind.RECOMMENDATION else None,
            summary=form.summary,
            created_by=actor_user_id,
            created_at=services.clock.now(),
        )
        session.add(finding)
        await session.flush()
        linked = await link_finding(session, case.id, finding.id, list(form.episodes))
        audit.record(
            session,
            services.clock,
            actor=actor_user_id,
            action="finding.recorded",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={
                "finding_id": finding.id,
                "typology": form.typology,
                "kind": form.kind.value,
                "recommendation_kind": finding.recommendation_kind,
                "key_practice_episodes": linked,
            },
        )
        if idempotency_key is not None:
            remember_answer(
                session,
                IDEMPOTENCY_SCOPE,
                idempotency_key,
                case_id=case.id,
                answer={"finding_id": finding.id},
                at=services.clock.now(),
            )
        return RecordedFinding(finding.id, case.id, case.reference, form.kind, may_add)


# -- the modal -------------------------------------------------------------------------------------


def finding_modal(
    case_id: int, reference: str, episodes: list[tuple[int, str]] | None = None
) -> dict[str, Any]:
    typology_help = "\n".join(
        f"• *{c.label}*: {c.wording}" + (" _(wording not yet verified)_" if c.verification != "V" else "")
        for c in TYPOLOGY
    )
    kinds_help = "\n".join(f"• *{k.label}*: {k.wording}" for k in RECOMMENDATION_KINDS)
    blocks: list[dict[str, Any]] = [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Case *{escape(reference)}*"}]},
        {
            "type": "input",
            "block_id": "typology",
            "label": plain_text("Typology category"),
            "element": {
                "type": "static_select",
                "action_id": "typology",
                "placeholder": plain_text("Choose one"),
                "options": [option(c.id, c.label) for c in TYPOLOGY],
            },
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": typology_help}},
        {
            "type": "input",
            "block_id": "finding_kind",
            "label": plain_text("What the finding asks for"),
            "element": {
                "type": "radio_buttons",
                "action_id": "finding_kind",
                "options": [option(k.value, label) for k, label in FINDING_KIND_LABELS.items()],
            },
        },
        {
            "type": "input",
            "block_id": "recommendation_kind",
            "label": plain_text("Kind of recommendation"),
            "optional": True,
            "hint": plain_text("Needed for a recommendation."),
            "element": {
                "type": "static_select",
                "action_id": "recommendation_kind",
                "placeholder": plain_text("Choose one"),
                "options": [option(k.id, k.label) for k in RECOMMENDATION_KINDS],
            },
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": kinds_help}},
        *_episodes_block(episodes or []),
        {
            "type": "input",
            "block_id": "summary",
            "label": plain_text("The finding"),
            "hint": plain_text(
                "A systemic finding, not blame. No names, dates of birth, addresses or schools."
            ),
            "element": {
                "type": "plain_text_input",
                "action_id": "summary",
                "multiline": True,
                "max_length": SUMMARY_LIMIT,
            },
        },
    ]
    return {
        "type": "modal",
        "callback_id": CallbackId.FINDING_MODAL,
        "title": plain_text("Record a finding"),
        "submit": plain_text("Save"),
        "close": plain_text("Cancel"),
        "private_metadata": CaseMetadata(case=case_id).dump(),
        "blocks": blocks,
    }


def _episodes_block(episodes: list[tuple[int, str]]) -> list[dict[str, Any]]:
    """Which key practice episodes the finding comes from (only when the case has some)."""
    if not episodes:
        return []
    return [{
        "type": "input", "block_id": "episodes", "optional": True,
        "label": plain_text("From key practice episodes"),
        "hint": plain_text("The episodes this finding comes from. Add episodes with `/review episode add`."),
        "element": {"type": "multi_static_select", "action_id": "episodes",
                    "placeholder": plain_text("Choose episodes"),
                    "options": [option(str(i), label[:75]) for i, label in episodes[:100]]},
    }]


def read_finding_form(values: dict[str, Any]) -> tuple[FindingForm | None, dict[str, str]]:
    def state(block: str) -> dict[str, Any]:
        return ((values.get(block) or {}).get(block)) or {}

    def selected(block: str) -> str | None:
        option = state(block).get("selected_option") or {}
        return str(option["value"]) if option.get("value") else None

    errors: dict[str, str] = {}
    typology = selected("typology")
    if typology not in {c.id for c in TYPOLOGY}:
        errors["typology"] = "Choose a typology category."
    raw_kind = selected("finding_kind")
    kind = FindingKind(raw_kind) if raw_kind in {k.value for k in FindingKind} else None
    if kind is None:
        errors["finding_kind"] = "Say whether this is a recommendation or an issue for the board."
    recommendation_kind = selected("recommendation_kind")
    if kind is FindingKind.RECOMMENDATION and recommendation_kind not in RECOMMENDATION_KIND_BY_ID:
        errors["recommendation_kind"] = "Choose which of the three kinds of recommendation this is."
    summary = str(state("summary").get("value") or "").strip()
    if not summary:
        errors["summary"] = "Write the finding."
    chosen = [str(o.get("value")) for o in state("episodes").get("selected_options") or []]
    if any(not c.isdecimal() or not 0 < int(c) < 2**63 for c in chosen):
        errors["episodes"] = "Choose episodes from the list."
    if errors or kind is None or typology is None:
        return None, errors
    episodes = tuple(int(c) for c in chosen)
    return FindingForm(typology, kind, recommendation_kind, summary, episodes), {}


def finding_saved_view(recorded: RecordedFinding, typology: str) -> dict[str, Any]:
    text = (
        f":white_check_mark: Finding recorded for *{escape(recorded.reference)}*: "
        f"{category_label(typology)}, {FINDING_KIND_LABELS[recorded.kind].lower()}."
    )
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    if recorded.kind is FindingKind.RECOMMENDATION and recorded.may_add_action:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": ActionId.FINDING_ADD_ACTION,
                        "style": "primary",
                        "value": f"{recorded.case_id}:{recorded.finding_id}",
                        "text": plain_text("Add an action for this recommendation"),
                    }
                ],
            }
        )
    return {
        "type": "modal",
        "title": plain_text("Finding recorded"),
        "close": plain_text("Close"),
        "blocks": blocks,
    }
