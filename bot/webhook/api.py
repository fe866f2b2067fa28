"""`POST /api/v1/notifications`: other systems (case management, online forms) notify an incident.

The same form, checks and service as the modal. Bearer token per partnership (``Authorization:
Bearer <token>``, nothing else); every field error in one 422; an Idempotency-Key makes a retried
call return the first answer instead of a second case.

Hostile or mistaken input is refused before it reaches the form, the database or a log: text with a
NUL or other control character, dates as numbers (which JSON parsers read as Unix timestamps) and
dates outside the plausible range of :mod:`bot.calendar.plausible` ("0001-01-01", "1900-01-01").
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from bot.access import WEBHOOK_NOTIFIER, Actor, Permission, decide
from bot.calendar.plausible import EARLIEST_PLAUSIBLE_DATE, date_problem, instant_problem
from bot.cases.models import Case
from bot.cases.opening import Idempotency, IdempotencyConflict, open_case, request_hash
from bot.cases.service import deadlines_of
from bot.cases.slack_sync import ensure_case_in_slack
from bot.clock import london_date
from bot.deadlines.planning import case_calendar
from bot.deadlines.view import describe_deadline
from bot.notifications.form import NotificationForm, problems_with
from bot.observability import get_logger
from bot.people.store import refresh_people
from bot.privacy.guard import has_unstorable_characters
from bot.runtime.services import Services
from bot.webhook.tokens import partnership_for_token

log = get_logger(__name__)

MAX_WEBHOOK_BODY = 64_000


class DeadlineOut(BaseModel):
    id: str
    label: str
    due: str | None
    status: str
    statutory_status: str


class NotificationAccepted(BaseModel):
    case_id: int
    reference: str
    stage: str
    deadlines: list[DeadlineOut]


class FieldError(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    error: str
    message: str
    fields: list[FieldError] = []


def _error(status: int, code: str, message: str, fields: list[FieldError] | None = None) -> JSONResponse:
    body = ErrorBody(error=code, message=message, fields=fields or [])
    headers = {"WWW-Authenticate": 'Bearer realm="reviewbot"'} if status == 401 else None
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def bearer_token(authorization: str | None) -> tuple[str | None, str | None]:
    """``(token, None)`` from an ``Authorization: Bearer <token>`` header, else ``(None, message)``.

    Only the Bearer scheme (any letter case, as RFC 7235 allows) is accepted: a bare token, Basic or
    any other scheme is refused with a message saying what to send.
    """
    if authorization is None or not authorization.strip():
        return None, "Missing bearer token. Send the header 'Authorization: Bearer <token>'."
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None, "Use the Bearer scheme: send the header 'Authorization: Bearer <token>'."
    token = token.strip()
    if not token:
        return None, "The bearer token is empty. Send the header 'Authorization: Bearer <token>'."
    return token, None


_UNSTORABLE_MESSAGE = (
    "This contains a control character (such as NUL, \\u0000) that can't be stored. "
    "Remove it and send the text again."
)
_NUMBER = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*")
_DATETIME_FIELDS = ("la_aware_at", "notification_sent_at")
_DATE_FIELDS = ("incident_on",)
_DATE_LABELS = {
    "la_aware_at": "The date the local authority became aware",
    "notification_sent_at": "The date the notification was sent",
    "incident_on": "The incident date",
}


def _unstorable_text(value: Any, path: str) -> list[FieldError]:
    """Every place in the body (keys included) where a string holds an unstorable character."""
    if isinstance(value, str):
        if has_unstorable_characters(value):
            return [FieldError(field=path or "body", message=_UNSTORABLE_MESSAGE)]
        return []
    found: list[FieldError] = []
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if has_unstorable_characters(str(key)):
                found.append(FieldError(field=path or "body", message=_UNSTORABLE_MESSAGE))
                continue
            found += _unstorable_text(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _unstorable_text(item, f"{path}.{index}" if path else str(index))
    return found


# What a refused date is replaced with so the rest of the body can still be checked in the same 422:
# the earliest plausible instant (no cross-field message can blame another field for it) or nothing.
_STAND_INS: dict[str, str | None] = {
    "la_aware_at": "2000-01-01T00:00:00+00:00",
    "notification_sent_at": None,
    "incident_on": None,
}


def _date_problems(payload: dict[str, Any], today: date) -> list[tuple[str, str, bool]]:
    """``(field, message, replace)`` for each date the plausible-date rule refuses, before parsing.

    JSON numbers (and digit-only strings) would be read as Unix timestamps: 0, -1 and 1.5 are
    moments in 1970. ``replace`` is True when the value must not reach the form at all: a number,
    a date before 2000 or years ahead, where time-zone arithmetic overflowed ("0001-01-01T00:00:00Z").
    A date a few days ahead is safe to parse and keeps its cross-field checks.
    """
    problems: list[tuple[str, str, bool]] = []
    for field in (*_DATETIME_FIELDS, *_DATE_FIELDS):
        value = payload.get(field)
        if value is None:
            continue
        example = "2026-12-18T09:30:00Z" if field in _DATETIME_FIELDS else "2026-12-17"
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            problems.append((field, f"Give this as text in ISO 8601 form, for example {example}.", True))
            continue
        if not isinstance(value, str) or _NUMBER.fullmatch(value):
            message = f"Give this as text in ISO 8601 form, for example {example}, not as a number."
            problems.append((field, message, True))
            continue
        try:
            parsed: date = (
                datetime.fromisoformat(value) if field in _DATETIME_FIELDS else date.fromisoformat(value)
            )
        except ValueError:
            continue  # the form reports its own message for text that is not a date at all
        problem: str | None
        if isinstance(parsed, datetime):
            problem = instant_problem(parsed, today=today, what=_DATE_LABELS[field])
            written = parsed.date()
        else:
            problem = date_problem(parsed, today=today, what=_DATE_LABELS[field])
            written = parsed
        if problem:
            replace = written < EARLIEST_PLAUSIBLE_DATE or written.year > today.year + 1
            problems.append((field, problem, replace))
    return problems


def build_router(services: Services) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["notifications"])

    @router.post(
        "/notifications",
        status_code=201,
        response_model=NotificationAccepted,
        responses={
            200: {"model": NotificationAccepted, "description": "replay of an earlier Idempotency-Key"},
            401: {"model": ErrorBody},
            409: {"model": ErrorBody},
            422: {"model": ErrorBody},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": NotificationForm.model_json_schema(
                            ref_template="#/components/schemas/{model}"
                        )
                    }
                },
            }
        },
    )
    async def notify(
        request: Request,
        authorization: str | None = Header(default=None),
        idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
    ) -> JSONResponse:
        token, refused = bearer_token(authorization)
        if token is None:
            return _error(401, "unauthorised", refused or "Missing bearer token.")
        found = await partnership_for_token(services, token)
        if found is None:
            return _error(401, "unauthorised", "Unknown or revoked bearer token.")
        partnership_id, token_id = found
        actor = Actor(
            user_id=f"webhook:{token_id}", partnership_id=partnership_id, roles=frozenset({WEBHOOK_NOTIFIER})
        )
        decision = decide(actor, Permission.NOTIFY)
        if not decision:
            return _error(403, "forbidden", decision.message)
        await refresh_people(services)  # the case goes to people as the store has them now
        partnership = services.config.partnership(partnership_id)
        raw = await request.body()
        if len(raw) > MAX_WEBHOOK_BODY:
            return _error(413, "too_large", f"The body is larger than {MAX_WEBHOOK_BODY} bytes.")
        try:
            payload = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deep
            return _error(400, "malformed", "The body is not valid UTF-8 JSON.")
        if not isinstance(payload, dict):
            return _error(
                422,
                "invalid",
                "The body must be a JSON object.",
                [FieldError(field="body", message="expected an object")],
            )
        if idempotency_key is not None and not (1 <= len(idempotency_key) <= 200):
            return _error(
                422,
                "invalid",
                "Idempotency-Key must be 1 to 200 characters.",
                [FieldError(field="Idempotency-Key", message="1 to 200 characters")],
            )
        now = services.clock.now()
        today = london_date(now)
        unstorable = _unstorable_text(payload, "")
        if unstorable:
            return _error(422, "invalid", f"{len(unstorable)} field(s) need attention.", unstorable)
        problems: dict[str, str] = {}
        checked = dict(payload)
        for field, message, replace in _date_problems(payload, today):
            problems[field] = message
            if replace:
                checked[field] = _STAND_INS[field]
        try:
            form = NotificationForm.model_validate(checked)
        except ValidationError as exc:
            for e in exc.errors(include_url=False, include_input=False):
                problems.setdefault(".".join(str(p) for p in e["loc"]) or "body", e["msg"])
            return _invalid(problems)
        except (OverflowError, ValueError):
            # a date the parser took but time-zone arithmetic could not (an offset at year 1 or 9999)
            problems.setdefault("body", "A date is outside the range this service accepts.")
            return _invalid(problems)
        for field, message in _parsed_date_problems(form, today):
            problems.setdefault(field, message)
        domain, _warnings = problems_with(
            form,
            now=now,
            known_agencies={a.id for a in partnership.agencies},
            guard_mode=partnership.identifier_guard,
            allowed_terms=list(partnership.allowed_terms()),
        )
        for field, message in domain.items():
            problems.setdefault(field, message)
        if problems:
            return _invalid(problems)
        idem = (
            Idempotency(f"webhook:{partnership_id}", idempotency_key, request_hash(payload))
            if idempotency_key
            else None
        )
        try:
            opened = await open_case(
                services,
                partnership,
                form,
                opened_by=f"webhook:{token_id}",
                actor_user_id=None,
                idempotency=idem,
            )
        except IdempotencyConflict:
            return _error(
                409,
                "idempotency_conflict",
                "This Idempotency-Key was used before with a different body. Use a new key.",
            )
        if opened.created:
            services.tasks.spawn(ensure_case_in_slack(services, opened.case_id), name="case-setup")
        body = await _accepted(services, opened.case_id)
        return JSONResponse(body.model_dump(), status_code=201 if opened.created else 200)

    return router


def _invalid(problems: dict[str, str]) -> JSONResponse:
    fields = [FieldError(field=f, message=m) for f, m in sorted(problems.items())]
    return _error(422, "invalid", f"{len(fields)} field(s) need attention.", fields)


def _parsed_date_problems(form: NotificationForm, today: date) -> list[tuple[str, str]]:
    """The plausible-date rule once more on what the form parsed, whatever spelling reached it."""
    checks: list[tuple[str, str | None]] = [
        ("la_aware_at", instant_problem(form.la_aware_at, today=today, what=_DATE_LABELS["la_aware_at"])),
    ]
    if form.notification_sent_at is not None:
        checks.append(
            (
                "notification_sent_at",
                instant_problem(
                    form.notification_sent_at, today=today, what=_DATE_LABELS["notification_sent_at"]
                ),
            )
        )
    if form.incident_on is not None:
        checks.append(
            ("incident_on", date_problem(form.incident_on, today=today, what=_DATE_LABELS["incident_on"]))
        )
    return [(field, message) for field, message in checks if message]


async def _accepted(services: Services, case_id: int) -> NotificationAccepted:
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        rows = await deadlines_of(session, case_id)
    partnership = services.config.partnership(case.partnership_id)
    calendar = case_calendar(partnership, case)
    today = london_date(services.clock.now())
    out = []
    for row in rows:
        line = describe_deadline(row, today, calendar)
        due: date | None = row.due_on
        out.append(
            DeadlineOut(
                id=row.rule_id,
                label=row.label,
                due=due.isoformat() if due else None,
                status=line.status.value,
                statutory_status=row.status_kind,
            )
        )
    return NotificationAccepted(case_id=case.id, reference=case.reference, stage=case.stage, deadlines=out)
