"""The assertions API: what a test reads back after a run.

Recorded Web API calls (and waiting for them: listener work carries on after Bolt's ack), the messages,
deleted messages and ephemerals of each conversation, everything ever said in one (for privacy scans)
and a readable transcript. Views, files and response_url posts are read back from their own families
(``view_stack``, ``home_view``, ``files``, ``responses``).
"""

from __future__ import annotations

import asyncio

from bot.sandbox.fake_slack.records import Call, Ephemeral, Message
from bot.sandbox.fake_slack.workspace import Workspace


class AssertionsMixin(Workspace):
    """Calls, messages, ephemerals, all the text of a conversation and transcripts, for assertions."""

    # --- assertions API --------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Every recorded call (in arrival order), optionally only those of ``method``."""
        return [c for c in self._calls if method is None or c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 2.0) -> list[Call]:  # noqa: ASYNC109
        """Wait until at least ``count`` calls of ``method`` have been answered; return them.

        Listener work carries on after Bolt's ack, so tests poll (as bolt's own tests do). Raises
        AssertionError naming what did arrive, so a missing side effect fails fast and legibly.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            answered = [c for c in self.calls(method) if c.done]
            if len(answered) >= count:
                return answered
            if loop.time() >= deadline:
                seen = ", ".join(
                    f"{c.method}({c.status}{' ' + c.error if c.error else ''})" for c in self._calls
                )
                raise AssertionError(
                    f"FakeSlack: expected at least {count} answered {method} call(s) within {timeout}s, "
                    f"got {len(answered)}. Calls so far: [{seen or 'none'}]"
                )
            await asyncio.sleep(0.01)

    def messages(self, channel: str) -> list[Message]:
        """Current messages in a conversation (id, name, or a user id for the bot's DM), oldest first."""
        resolved = self._resolve_channel(channel)
        if resolved is None:
            return []
        return list(self._messages.get(resolved.id, {}).values())

    def message(self, channel: str, ts: str) -> Message | None:
        resolved = self._resolve_channel(channel)
        if resolved is None:
            return None
        return self._messages.get(resolved.id, {}).get(ts)

    @property
    def deleted_messages(self) -> list[Message]:
        return list(self._deleted)

    def ephemerals(self, user: str | None = None) -> list[Ephemeral]:
        return [e for e in self._ephemerals if user is None or e.user == user]

    def all_text_for_channel(self, channel: str) -> str:
        """Everything ever sent to a conversation, one item per line, for privacy scans.

        Includes every posted and edited version of messages (text, blocks, attachments; deleted ones
        too), ephemeral messages, response_url posts, file names/titles/comments and the topic. Block
        content covers every string a reader could see or that travels to Slack (button values too).
        """
        resolved = self._resolve_channel(channel)
        key = resolved.id if resolved else channel
        return "\n".join(self._channel_text.get(key, []))

    def transcript(self, channel: str | None = None) -> str:
        """A readable dump of conversations (used by the demo and in failure messages)."""
        lines: list[str] = []
        for channel_id, messages in self._messages.items():
            if channel is not None and self._resolve_channel(channel) is not self._channels.get(channel_id):
                continue
            ch = self._channels.get(channel_id)
            title = (
                f"#{ch.name}" if ch and ch.name and not ch.is_im else f"DM {ch.user if ch else channel_id}"
            )
            lines.append(f"=== {title} ({channel_id}) ===")
            for msg in messages.values():
                indent = "    " if msg.is_reply else ""
                marks = (" (edited)" if msg.edited else "") + (" [pinned]" if msg.pinned else "")
                lines.append(f"{indent}[{msg.ts}] <{msg.user}>{marks}")
                lines.extend(indent + "  " + line for line in msg.rendered().splitlines())
        return "\n".join(lines)
