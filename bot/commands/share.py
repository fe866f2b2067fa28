"""`/review share <email | workspace id>` in a case channel: invite a partner organisation into the
case channel through Slack Connect (conversations.inviteShared). Business manager only, and only
where the partnership file allows it (``slack_connect.allowed``); a workspace must be one of
``slack_connect.teams``. Nobody invited gains any right by being in the channel: an external member
may do only what their own entry in the partnership file (known by team and member id) allows.

The address is not stored or logged; the audit row says a share was sent and to which workspace
(or "by email").
"""

from __future__ import annotations

import re

from bot import audit
from bot.access import Permission
from bot.cases.models import Case
from bot.commands.finders import CASE_HERE
from bot.commands.gate import Needs, NotThere
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput
from bot.slack.errors import SlackError

_EMAIL = re.compile(r"[^@\s<>|]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}")
_TEAM = re.compile(r"T[A-Z0-9]{2,}")
_MAILTO = re.compile(r"<mailto:([^|>]+)\|[^>]*>")


def register(features: Features) -> None:
    services = features.services

    async def share(ctx: CommandContext) -> CommandReply:
        allowed = ctx.admitted
        partnership = services.config.partnership(allowed.case.partnership_id)
        connect = partnership.slack_connect
        if not connect.allowed:
            raise BadInput(
                "This partnership does not share case channels with other organisations. "
                "An administrator can allow it with `slack_connect: {allowed: true}` in the partnership file."
            )
        target = ctx.args.strip()
        mailto = _MAILTO.fullmatch(target)  # Slack sends a typed address as <mailto:a@b|a@b>
        target = mailto.group(1) if mailto else target
        emails: list[str] = []
        user_ids: list[str] = []
        if _TEAM.fullmatch(target):
            if target not in connect.teams:
                raise BadInput(
                    "That workspace is not one this partnership shares with "
                    "(`slack_connect.teams` in the partnership file)."
                )
            user_ids = [p.slack_user_id for p in partnership.people if p.team_id == target]
            if not user_ids:
                raise BadInput(
                    "Nobody from that workspace is in the partnership file yet, so there is no one to invite."
                )
            shared_with = target
        elif _EMAIL.fullmatch(target):
            emails, shared_with = [target], "email"
        else:
            raise BadInput(
                "Say whom to invite: `/review share name@partner.example` or `/review share T0123ABCD` "
                "(a partner workspace named in the partnership file)."
            )
        async with services.db.session() as session:
            case = await session.get(Case, allowed.case.case_id)
            if case is None:
                raise NotThere()
            channel = case.channel_id
        if not channel:
            raise BadInput("This case has no channel yet. Try again in a minute.")
        try:
            await services.gateway.invite_shared(channel, emails=emails or None, user_ids=user_ids or None)
        except SlackError as exc:
            raise BadInput(f"Slack did not send the invitation ({exc.code}). Nothing was shared.") from None
        async with services.db.session() as session:
            audit.record(
                session,
                services.clock,
                actor=ctx.user_id,
                action="case.channel_shared",
                partnership_id=partnership.id,
                case_id=allowed.case.case_id,
                after={"shared_with": shared_with, "invited": len(emails) + len(user_ids)},
            )
        return CommandReply(
            text=f"Invitation sent: the {allowed.case.reference} channel is shared once the other "
            "organisation accepts. Their people may do only what the partnership file gives them."
        )

    features.subcommand(
        "share",
        "share <email | workspace id>",
        "invite a partner organisation into this case channel (Slack Connect; business manager)",
        share,
        needs=Needs(Permission.SHARE_CHANNEL, CASE_HERE),
        order=95,
    )
