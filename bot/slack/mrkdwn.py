"""Putting text people typed into Slack mrkdwn safely."""

from __future__ import annotations


def escape(text: str) -> str:
    """Slack's three control characters, so typed text cannot become a mention, link or <!channel>."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
