"""`/review redact [<what> <which> <reason>]` in a case channel: replace a stored free-text field that
should never have been stored (business manager). Alone, it lists the fields of the case that hold
text and how to name each."""

from __future__ import annotations

from bot.access import Permission
from bot.cases.slack_sync import request_card_refresh
from bot.commands.finders import CASE_HERE
from bot.commands.gate import Needs
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput
from bot.records.redaction import MARKER, redact, stored_text, usage
from bot.slack.mrkdwn import escape as esc

MAX_LISTED = 40


def register(features: Features) -> None:
    services = features.services

    async def redact_command(ctx: CommandContext) -> CommandReply:
        case = ctx.admitted.case
        words = ctx.args.split(maxsplit=2)
        if not words:
            return CommandReply(text=await _listing(ctx))
        if len(words) < 3:
            raise BadInput(
                "Say what to redact, which one and why, e.g. `/review redact action 12 a full name was "
                "typed into it`.",
                "`/review redact` alone lists what can be redacted here.",
            )
        what, which, reason = words
        done = await redact(services, case, ctx.user_id, what, which, reason)
        request_card_refresh(services, case.case_id)
        return CommandReply(
            text=f"Redacted {done.field.label} {esc(done.named)} in {case.reference}: the text is now "
            f"“{MARKER}”, your reason is kept with the redaction (#{done.redaction_id}) and the change is "
            "in the audit trail. The case card is redrawn; messages already posted that quoted the text "
            "keep it in Slack, so delete those there."
        )

    async def _listing(ctx: CommandContext) -> str:
        case = ctx.admitted.case
        stored = await stored_text(services, case)
        if not stored:
            return f"Nothing in {case.reference} holds free text that could be redacted."
        lines = [f"Free text stored in {case.reference} ({usage()}):"]
        lines += [f"• `{s.what} {esc(s.named)}`: {esc(s.excerpt)}" for s in stored[:MAX_LISTED]]
        if len(stored) > MAX_LISTED:
            lines.append(f"…and {len(stored) - MAX_LISTED} more.")
        return "\n".join(lines)

    features.subcommand(
        "redact",
        "redact [<what> <which> <reason>]",
        "replace stored text that should never have been stored (business manager)",
        redact_command,
        needs=Needs(Permission.REDACT_RECORD, CASE_HERE),
        order=95,
    )
