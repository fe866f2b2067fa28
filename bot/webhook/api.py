"""`POST /api/v1/notifications`: other systems (case management, online forms) notify an incident.

The same form, checks and service as the modal. Bearer token per partnership; every field error
in one 422; an Idempotency-Key makes a retried call return the first answer instead of a second case.
"""

from __future__ import annotations

import json
from datetime import date

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from bot.access import WEBHOOK_NOTIFIER, Actor, Permission, decide
from bot.cases.models import Case
from bot.cases.opening import Idempotency, IdempotencyConflict, open_case, request_hash
from bot.cases.service import deadlines_of
from bot.cases.slack_sync import ensure_case_in_slack
from bot.clock import london_date
from bot.deadlines.planning import case_calendar
from bot.deadlines.view import describe_deadline
from bot.notifications.form import NotificationForm, problems_with
from bot.observability import get_logger
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
    return JSONResponse(body.model_dump(), status_code=status)


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
        token = (authorization or "").removeprefix("Bearer ").strip()
        found = await partnership_for_token(services, token) if token else None
        if found is None:
            return _error(401, "unauthorised", "Missing, unknown or revoked bearer token.")
        partnership_id, token_id = found
        actor = Actor(
            user_id=f"webhook:{token_id}", partnership_id=partnership_id, roles=frozenset({WEBHOOK_NOTIFIER})
        )
        decision = decide(actor, Permission.NOTIFY)
        if not decision:
            return _error(403, "forbidden", decision.message)
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
        try:
            form = NotificationForm.model_validate(payload)
        except ValidationError as exc:
            fields = [
                FieldError(field=".".join(str(p) for p in e["loc"]) or "body", message=e["msg"])
                for e in exc.errors(include_url=False, include_input=False)
            ]
            return _error(422, "invalid", f"{len(fields)} field(s) need attention.", fields)
        now = services.clock.now()
        problems, _warnings = problems_with(
            form,
            now=now,
            known_agencies={a.id for a in partnership.agencies},
            guard_mode=partnership.identifier_guard,
            allowed_terms=list(partnership.allowed_terms()),
        )
        if problems:
            fields = [FieldError(field=f, message=m) for f, m in sorted(problems.items())]
            return _error(422, "invalid", f"{len(fields)} field(s) need attention.", fields)
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
