"""`/review episode` in a case channel: the key practice episodes of a Learning Together review
(review team, business unit).

    /review episode list          (or alone) every episode with its period, agencies and contributory factors
    /review episode add           a form: title, period, agencies, contributory factors
    /review episode edit <n>      the same form for episode n
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.access import Permission
from bot.commands.deadlines import guarded_text
from bot.commands.finders import CASE_HERE, CASE_IN_METADATA, admitted_case
from bot.commands.gate import Allowed, Needs
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.errors import BadInput, UserFacingError
from bot.learning_together.episodes import episode_by_number, episode_lines, save_episode
from bot.learning_together.modals import episode_modal, read_episode
from bot.runtime.services import Services
from bot.slack.ids import CallbackId
from bot.slack.mrkdwn import escape
from bot.slack.payloads import EpisodeMetadata, read_metadata, view_values

USAGE = "`/review episode add`, `/review episode edit <number>` or `/review episode list`"


async def list_text(services: Services, case_id: int, reference: str) -> str:
    lines = await episode_lines(services, case_id)
    if not lines:
        return f"*{reference}* has no key practice episodes yet: `/review episode add`."
    out = [f"*{reference}: key practice episodes*"]
    for e in lines:
        agencies = ", ".join(e.agencies) or "agencies not given"
        finding = f"{e.findings} finding(s)" if e.findings else "no finding yet"
        out.append(f"{e.number}. *{escape(e.title)}* ({e.period}; {agencies}; {finding})")
        out += [f"    – {escape(f)}" for f in e.factors] or ["    – no contributory factors yet"]
    return "\n".join(out)


def register(features: Features) -> None:
    services = features.services

    def agencies_of(partnership_id: str) -> list[tuple[str, str]]:
        return [(a.id, a.name) for a in services.config.partnership(partnership_id).agencies]

    async def episode(ctx: CommandContext) -> CommandReply:
        case = await admitted_case(services, ctx.admitted)
        words = ctx.args.split()
        what = words[0].lower() if words else "list"
        if what == "list":
            return CommandReply(text=await list_text(services, case.id, case.reference))
        if what not in ("add", "edit"):
            raise BadInput(f"I don't know '{what[:20]}' here.", USAGE)
        shown = None
        if what == "edit":
            if len(words) < 2 or not words[1].isdecimal():
                raise BadInput("Say which episode, by its number.", USAGE)
            shown = await episode_by_number(services, case.id, int(words[1]))
        if ctx.requester.trigger_id is None:
            raise BadInput("Slack did not send what is needed to open a form. Please try again.")
        modal = episode_modal(case.id, case.reference, agencies_of(case.partnership_id), shown)

        async def _tell(text: str) -> None:
            await ctx.requester.tell(services.gateway, text)

        services.tasks.spawn(
            services.gateway.open_view(ctx.requester.trigger_id, modal),
            name="open-episode",
            urgent=True,
            tell=_tell,
        )
        return CommandReply(text="")

    features.subcommand(
        "episode",
        "episode [add | edit <n> | list]",
        "key practice episodes: title, period, agencies, contributory factors (review team, business unit)",
        episode,
        needs=Needs(Permission.MANAGE_LEARNING_REVIEW, CASE_HERE),
        order=56,
    )

    @features.view(CallbackId.EPISODE_MODAL, needs=Needs(Permission.MANAGE_LEARNING_REVIEW, CASE_IN_METADATA))
    async def submitted(ack: AsyncAck, body: dict[str, Any], allowed: Allowed) -> None:
        partnership_id = allowed.case.partnership_id
        known = {a for a, _ in agencies_of(partnership_id)}
        form, errors = read_episode(view_values(body), known)
        if form is None:
            await ack(response_action="errors", errors=errors)
            return
        problem = guarded_text(services, partnership_id, form.title)
        if problem:
            await ack(response_action="errors", errors={"title": problem})
            return
        for factor in form.factors:
            problem = guarded_text(services, partnership_id, factor)
            if problem:
                await ack(response_action="errors", errors={"factors": problem})
                return
        meta = read_metadata(EpisodeMetadata, body)
        try:
            number = await save_episode(
                services,
                allowed.case.case_id,
                form,
                user_id=allowed.user_id,
                episode_id=meta.episode if meta else None,
            )
        except UserFacingError as exc:
            await ack(response_action="errors", errors={"title": exc.text})
            return
        await ack(
            response_action="update",
            view={
                "type": "modal",
                "title": {"type": "plain_text", "text": "Episode saved"},
                "close": {"type": "plain_text", "text": "Close"},
                "blocks": [
                    {
                        "type": "section",
                        "text": {
                            "type": "mrkdwn",
                            "text": f":white_check_mark: Key practice episode {number} saved for "
                            f"*{allowed.case.reference}*, "
                            f"with {len(form.factors)} contributory factor(s).",
                        },
                    }
                ],
            },
        )
