"""Putting text people typed into Slack mrkdwn safely."""

from __future__ import annotations


def escape(text: str) -> str:
    """Slack's three control characters, so typed text cannot become a mention, link or <!channel>."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def echo(text: str, limit: int = 40) -> str:
    """Typed text repeated back in an answer ("There is no stage called '...'"): one line, cut to
    ``limit`` characters, with mrkdwn's control characters and backticks made harmless."""
    one_line = " ".join(str(text).split())
    cut = one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
    return escape(cut.replace("`", "'"))
