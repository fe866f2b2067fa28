"""The pack for the Panel: a Word document and a Markdown file built in memory from the database.

Sections follow the headings partnerships commonly use for a rapid review (process-rules.md 2.4):
case facts, the rapid review timeline, agency returns, key practice episodes, the decision and its
rationale, immediate actions, sign-offs, and which deadlines were met or missed. It carries the case
reference, pseudonyms and free text that already passed the identifier guard; nothing else.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from docx import Document

from bot.calendar.working_days import Nation, format_day
from bot.cases.models import Case
from bot.cases.service import deadlines_of
from bot.cases.states import STAGE_LABELS, Stage
from bot.clock import london_date
from bot.deadlines.planning import case_calendar, case_lifecycle, case_ruleset
from bot.deadlines.status import DeadlineStatus
from bot.deadlines.view import STATUS_WORDS, describe_deadline
from bot.notifications.form import (
    AGE_BAND_LABELS,
    LEGAL_STATUS_LABELS,
    NOTIFICATION_TYPE_LABELS,
    AgeBand,
    LegalStatus,
)
from bot.rapid_review.blocks import PANEL_RESPONSE_LABELS
from bot.rapid_review.checklist import build_groups, day_zero_of, items_of
from bot.rapid_review.decision_terms import (
    CONSTRAINT_LABELS,
    NATIONAL_BODY,
    NATIONAL_REVIEW_LABELS,
    PARALLEL_PROCESS_LABELS,
    Constraint,
    NationalReviewView,
    ParallelProcess,
    recommendation_label,
)
from bot.rapid_review.free_text import agency_name
from bot.rapid_review.loading import load_decision_view, load_returns_view
from bot.rapid_review.models import RapidReview
from bot.rapid_review.states import ItemStatus, PanelResponse
from bot.rules.models import NotificationType
from bot.runtime.services import Services

SECTIONS = (
    "Case facts",
    "Rapid review timeline",
    "Agency returns",
    "Key practice episodes",
    "Decision and rationale",
    "Immediate safeguarding actions",
    "Sign-offs",
    "Deadlines met or missed",
)

Table = list[list[str]]


@dataclass
class PackSection:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: Table = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Pack:
    reference: str
    title: str
    generated_on: date
    sections: list[PackSection]

    def file_stem(self) -> str:
        return f"{self.reference}-rapid-review-pack"


def _day(value: date | None) -> str:
    return format_day(value) if value else ""


async def build_pack(services: Services, case_id: int) -> Pack:
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        rr = await session.get(RapidReview, case_id)
        items = await items_of(session, case_id)
        deadlines = await deadlines_of(session, case_id)
    partnership = services.config.partnership(case.partnership_id)
    today = london_date(services.clock.now())
    decision_view = await load_decision_view(services, case_id)
    returns_view = await load_returns_view(services, case_id)
    assert decision_view is not None and returns_view is not None
    lifecycle = case_lifecycle(case)
    review_name = lifecycle.review_name if lifecycle else None
    body = lifecycle.national_body if lifecycle else NATIONAL_BODY.get(Nation(case.nation), "the Panel")

    facts = PackSection(SECTIONS[0], header=["", ""])
    kind = NOTIFICATION_TYPE_LABELS.get(NotificationType(case.notification_type), case.notification_type)
    children = "; ".join(
        f"{c.pseudonym} ({AGE_BAND_LABELS.get(AgeBand(c.age_band), c.age_band)}, "
        f"{LEGAL_STATUS_LABELS.get(LegalStatus(c.legal_status), c.legal_status).lower()})"
        for c in case.children
    )
    facts.rows = [
        ["Case reference", case.reference],
        ["Partnership", partnership.name],
        ["Rules", case_ruleset(case).title],
        ["Notification", kind],
        ["Children", children or "none recorded"],
        [
            "Agencies involved",
            ", ".join(agency_name(partnership, a.agency_id) for a in case.agencies),
        ],
        ["Local authority aware", _day(london_date(case.la_aware_at))],
        [
            "Notification sent",
            _day(london_date(case.notification_sent_at)) if case.notification_sent_at else "not yet",
        ],
        ["Police investigation", case.police_investigation.replace("_", " ")],
        ["Media interest", "yes" if case.media_interest else "no"],
        ["Stage", STAGE_LABELS.get(Stage(case.stage), case.stage)],
    ]

    timeline = PackSection(SECTIONS[1], header=["Item", "Owner", "Target", "Status", "Done"])
    day_zero = day_zero_of(case, rr.anchor) if rr else None
    timeline.paragraphs.append(f"Day 0: {_day(day_zero) or 'not yet'} (the notification sent).")
    for group in build_groups(partnership, items):
        for line in group.items:
            target = f"{_day(line.target_on)} ({line.window})" if line.target_on else line.window
            if line.status is ItemStatus.DONE:
                late = (
                    line.target_on is not None and line.done_on is not None and line.done_on > line.target_on
                )
                status, done = ("done late" if late else "done"), _day(line.done_on)
            elif line.status is ItemStatus.NOT_APPLICABLE:
                status, done = f"not applicable: {line.na_reason or ''}", ""
            else:
                overdue = line.target_on is not None and line.target_on < today
                status, done = ("overdue" if overdue else "open"), ""
            timeline.rows.append([f"{line.item_id} {line.title}", group.label, target, status, done])

    returns = PackSection(SECTIONS[2], header=["Agency", "Requested", "Due", "Received"])
    for r in returns_view.returns:
        got = "nil return" if r.nil_return else ("" if r.received_on is None else "received")
        when = f"{got} {_day(r.received_on)}".strip() if r.received_on else "outstanding"
        returns.rows.append(
            [
                r.agency_name + (" (added later)" if r.added_later else ""),
                _day(r.requested_on),
                _day(r.due_on),
                when,
            ]
        )

    decision = decision_view.decision
    episodes = PackSection(SECTIONS[3])
    episodes.paragraphs = (
        [f"{n}. {e}" for n, e in enumerate(decision.key_practice_episodes, 1)] if decision else []
    )
    if not episodes.paragraphs:
        episodes.paragraphs = ["None recorded."]

    decided = PackSection(SECTIONS[4])
    if decision is None:
        decided.paragraphs = ["No decision recorded yet."]
    else:
        decided.warnings = [CONSTRAINT_LABELS.get(Constraint(c), c) for c in decision.constraints or []]
        if decision.constraint_note:
            decided.warnings.append(decision.constraint_note)
        processes = ", ".join(
            PARALLEL_PROCESS_LABELS.get(ParallelProcess(p), p) for p in decision.parallel_processes
        )
        national = NATIONAL_REVIEW_LABELS.get(
            NationalReviewView(decision.national_review), decision.national_review
        )
        decided.paragraphs = [
            f"Version {decision.version}.",
            f"Recommendation: {recommendation_label(decision.recommendation, case.nation, review_name)}.",
            *(
                []
                if decision.national_review == NationalReviewView.NOT_ASKED.value
                else [f"View on a national review: {national}."]
            ),
            f"Rationale: {decision.rationale}",
            f"Parallel processes: {processes or 'none recorded'}.",
            f"Learning identified: {decision.learning or 'none recorded'}",
        ]

    actions = PackSection(SECTIONS[5], header=["Action", "Owner", "Due", "Status"])
    actions.rows = [
        [a.description, a.owner, _day(a.due_on), a.status.replace("_", " ")] for a in decision_view.actions
    ]
    if not actions.rows:
        actions.paragraphs = ["None recorded."]

    sign = PackSection(SECTIONS[6], header=["Partner", "Signed by", "Date", "Version"])
    for s in decision_view.sign_offs:
        who = (
            f"{s.signer_label} ({s.signed_by})"
            if s.signer_label and s.signed_by
            else (s.signed_by or "waiting")
        )
        sign.rows.append([s.agency_name, who, _day(s.signed_on), str(s.version or "")])
    if decision_view.voided:
        sign.paragraphs.append(
            f"{len(decision_view.voided)} earlier sign-off(s) were voided because the decision "
            "changed after signing."
        )
    if decision_view.panel_sent_on:
        sign.paragraphs.append(f"Sent to {body} on {_day(decision_view.panel_sent_on)}.")
    if decision_view.panel_response:
        label = PANEL_RESPONSE_LABELS.get(
            PanelResponse(decision_view.panel_response), decision_view.panel_response
        )
        sign.paragraphs.append(f"{label} ({_day(decision_view.panel_response_on)}).")

    met = PackSection(SECTIONS[7], header=["Deadline", "Due", "Status", "Met on"])
    calendar = case_calendar(partnership, case)
    for deadline in deadlines:
        described = describe_deadline(deadline, today, calendar)
        word = STATUS_WORDS[described.status]
        if described.status in (DeadlineStatus.MET_LATE, DeadlineStatus.OVERDUE):
            word += " (missed)"
        met.rows.append(
            [deadline.label, described.due_text, f"{word} · {described.status_kind}", _day(deadline.met_on)]
        )

    return Pack(
        case.reference,
        f"Rapid review pack · {case.reference}",
        today,
        [facts, timeline, returns, episodes, decided, actions, sign, met],
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(pack: Pack) -> bytes:
    out = [
        f"# {pack.title}",
        "",
        f"Generated {format_day(pack.generated_on)}. Case references and pseudonyms only.",
        "",
    ]
    for section in pack.sections:
        out += [f"## {section.title}", ""]
        out += [f"> **{w}**" for w in section.warnings]
        if section.warnings:
            out.append("")
        for paragraph in section.paragraphs:
            out += [paragraph, ""]
        if section.rows:
            header = section.header if any(section.header) else ["", ""]
            out.append("| " + " | ".join(_cell(h) for h in header) + " |")
            out.append("|" + "---|" * len(header))
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in section.rows]
            out.append("")
    return "\n".join(out).encode("utf-8")


def to_docx(pack: Pack) -> bytes:
    document = Document()
    document.add_heading(pack.title, level=0)
    document.add_paragraph(f"Generated {format_day(pack.generated_on)}. Case references and pseudonyms only.")
    for section in pack.sections:
        document.add_heading(section.title, level=1)
        for warning in section.warnings:
            document.add_paragraph().add_run(f"Constraint: {warning}").bold = True
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        if section.rows:
            columns = len(section.rows[0])
            table = document.add_table(rows=0, cols=columns)
            table.style = "Table Grid"
            if any(section.header):
                cells = table.add_row().cells
                for cell, text in zip(cells, section.header, strict=False):
                    cell.text = text
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
            for row in section.rows:
                for cell, text in zip(table.add_row().cells, row, strict=False):
                    cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
