"""What was agreed at a case group meeting, sent to the people who missed it, and their comments on
its accuracy.

The Learning Together pilots found that attendance at case group meetings varied and that people who
missed one could not check the accuracy of the review team's record of it. So once attendance and
what was agreed are recorded, every invitee who did not attend is sent the record by direct message
with a button to comment on it; a comment (guarded) is kept, audited and sent to the lead reviewer
(the plan's, else the meeting's chair). A corrected record is sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot import audit
from bot.errors import Conflict, NotAllowed
from bot.learning_together.models import ReviewPlan
from bot.meetings.blocks import kind_label, uk_time_text
from bot.meetings.kinds import COMMENT_LIMIT, is_case_group
from bot.meetings.models import MeetingRecordComment
from bot.meetings.service import load
from bot.observability import get_logger
from bot.runtime.services import Services
from bot.slack.blocks import button, context, input_block, plain_text, section
from bot.slack.errors import SlackError
from bot.slack.ids import ActionId, CallbackId
from bot.slack.mrkdwn import escape
from bot.slack.payloads import MeetingMetadata

log = get_logger(__name__)


def record_message(
    reference: str, label: str, when: str, record: str, meeting_id: int
) -> tuple[str, list[dict[str, Any]]]:
    text = f"What was agreed at the {label.lower()} for {reference} ({when}), which you missed"
    blocks: list[dict[str, Any]] = [
        section(f":memo: *{escape(text)}*"),
        section(escape(record)),
        context(
            "You were invited but not recorded as attending. Please check that this is an accurate "
            "record of what the group agreed; the lead reviewer sees your comment."
        ),
        {
            "type": "actions",
            "block_id": f"meeting_{meeting_id}_record",
            "elements": [
                button("Comment on its accuracy", ActionId.MEETING_RECORD_COMMENT, str(meeting_id)),
            ],
        },
    ]
    return text, blocks


async def send_record_to_absentees(services: Services, meeting_id: int) -> int:
    """Send what was agreed to each absentee not yet sent this version of it; the number sent."""
    async with services.db.read() as session:
        meeting, case = await load(session, meeting_id)
        if (
            not is_case_group(meeting.kind)
            or not meeting.record_text
            or meeting.attendance_recorded_at is None
        ):
            return 0
        due = [
            i.user_id
            for i in meeting.invitees
            if i.attended is False
            and (
                i.record_sent_at is None
                or (meeting.record_at is not None and i.record_sent_at < meeting.record_at)
            )
        ]
        text, blocks = record_message(
            case.reference,
            kind_label(meeting.kind),
            uk_time_text(meeting.starts_at),
            meeting.record_text,
            meeting.id,
        )
    sent: list[str] = []
    for user in due:
        try:
            await services.gateway.send_dm(user, text, blocks)
            sent.append(user)
        except SlackError as exc:  # one unreachable person must not stop the others being sent it
            log.warning("meeting.record_dm_failed", meeting_id=meeting_id, error=exc.code)
    if sent:
        async with services.db.session() as session:
            meeting, case = await load(session, meeting_id)
            now = services.clock.now()
            for invitee in meeting.invitees:
                if invitee.user_id in sent:
                    invitee.record_sent_at = now
            audit.record(
                session,
                services.clock,
                actor="reviewbot",
                action="meeting.record_sent",
                partnership_id=case.partnership_id,
                case_id=case.id,
                after={"meeting_id": meeting.id, "sent_to": sorted(sent)},
            )
    return len(sent)


def comment_modal(meeting_id: int, title: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": CallbackId.MEETING_RECORD_COMMENT_MODAL,
        "title": plain_text("Comment on the record"),
        "submit": plain_text("Send"),
        "close": plain_text("Cancel"),
        "private_metadata": MeetingMetadata(meeting=meeting_id).dump(),
        "blocks": [
            section(
                f"*{escape(title)}*: is what was agreed an accurate record? Say what is missing or wrong."
            ),
            input_block(
                "comment",
                "Your comment",
                {"type": "plain_text_input", "multiline": True, "max_length": COMMENT_LIMIT},
                hint="It goes to the lead reviewer and is kept with the review. No names.",
            ),
        ],
    }


def read_comment(values: dict[str, Any]) -> str:
    return str(((values.get("comment") or {}).get("comment") or {}).get("value") or "").strip()


@dataclass(frozen=True)
class CommentSaved:
    meeting_id: int
    reference: str
    title: str
    lead_user_id: str


async def save_comment(services: Services, meeting_id: int, *, user_id: str, comment: str) -> CommentSaved:
    """Keep an invitee's comment (already guarded) on the record of a case group meeting."""
    async with services.db.session() as session:
        meeting, case = await load(session, meeting_id)
        if meeting.invitee(user_id) is None:
            raise NotAllowed("Only people invited to this meeting can comment on its record.")
        if not meeting.record_text:
            raise Conflict("This meeting has no record of what was agreed yet.")
        session.add(
            MeetingRecordComment(
                meeting_id=meeting.id,
                user_id=user_id,
                comment=comment[:COMMENT_LIMIT],
                created_at=services.clock.now(),
            )
        )
        plan = (await session.execute(select(ReviewPlan).where(ReviewPlan.case_id == case.id))).scalar()
        lead = plan.lead_reviewer_user_id if plan is not None else meeting.chair_user_id
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="meeting.record_commented",
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={"meeting_id": meeting.id, "lead_reviewer": lead},
        )
        title = f"{kind_label(meeting.kind)} for {case.reference}, {uk_time_text(meeting.starts_at)}"
        return CommentSaved(meeting.id, case.reference, title, lead)


async def tell_lead(services: Services, saved: CommentSaved, *, by: str, comment: str) -> None:
    text = f"<@{by}> commented on the record of the {saved.title}"
    await services.gateway.send_dm(
        saved.lead_user_id,
        text,
        [
            section(f":speech_balloon: *{text}*"),
            section(escape(comment)),
            context(
                "They missed the meeting and were sent what was agreed. "
                "See every comment with `/review plan`."
            ),
        ],
    )


async def comments_on(services: Services, meeting_ids: list[int]) -> dict[int, list[MeetingRecordComment]]:
    if not meeting_ids:
        return {}
    async with services.db.read() as session:
        rows = (
            await session.execute(
                select(MeetingRecordComment)
                .where(MeetingRecordComment.meeting_id.in_(meeting_ids))
                .order_by(MeetingRecordComment.id)
            )
        ).scalars()
        out: dict[int, list[MeetingRecordComment]] = {}
        for row in rows:
            out.setdefault(row.meeting_id, []).append(row)
        return out
