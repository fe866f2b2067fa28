"""The pseudonym field's agreed shape, and the length limit every free-text field is held to.

The pseudonym ("Child A", "Sibling 1") is the one place a child is referred to, so
:func:`looks_like_pseudonym` accepts only a role word and a capital letter or number, short, and
nothing the identifier guard would flag. :func:`check_length` refuses over-long text with a count
rather than letting Slack cut it, and like the guard it never quotes the text it measured.
"""

from __future__ import annotations

import re

from bot.privacy.guard import scan

__all__ = ["PSEUDONYM_MAX_LENGTH", "check_length", "looks_like_pseudonym"]

PSEUDONYM_MAX_LENGTH = 24

_PSEUDONYM = re.compile(
    r"(?:Child|Baby|Infant|Sibling|Young Person|YP|Adult|Parent|Carer|Mother|Father|Brother|Sister"
    r"|Family)\s+(?:[A-Z]{1,2}\d{0,2}|[1-9]\d?)",
    re.IGNORECASE,
)
_PSEUDONYM_TAIL = re.compile(r"(?:[A-Z]{1,2}\d{0,2}|[1-9]\d?)$")


def looks_like_pseudonym(text: str) -> bool:
    """True for pseudonyms of the agreed shape: "Child A", "Child AB", "Sibling 1", "Baby C".

    The pseudonym field is the one place a child is referred to, so it accepts only a role word and
    a letter or number (capital letters, so "Child a" is not mistaken for the start of a sentence),
    at most 24 characters, and nothing the identifier guard would flag.
    """
    candidate = " ".join(text.split())
    if not candidate or len(candidate) > PSEUDONYM_MAX_LENGTH:
        return False
    if not _PSEUDONYM.fullmatch(candidate) or not _PSEUDONYM_TAIL.search(candidate):
        return False
    return not scan(candidate)


def check_length(text: str, limit: int) -> str | None:
    """None when ``text`` fits in ``limit`` characters, else a plain-English message saying by how much.

    Slack cuts long inputs and Block Kit rejects long fields, so over-long text is refused with a
    count rather than silently truncated. The message never quotes the text.
    """
    if limit <= 0:
        raise ValueError("limit must be a positive number of characters")
    length = len(text)
    if length <= limit:
        return None
    over = length - limit
    return (
        f"This is {length} characters long and the limit here is {limit}. "
        f"Please shorten it by {over} character{'s' if over != 1 else ''}."
    )
