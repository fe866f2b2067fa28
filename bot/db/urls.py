"""Database URLs as people write them, turned into the async drivers ReviewBot uses (pure)."""

from __future__ import annotations


def async_url(url: str) -> str:
    """The URL with the async driver ReviewBot uses: ``postgresql://`` and ``postgres://`` (as most
    tools write them) become ``postgresql+asyncpg://``, ``sqlite:///`` becomes ``sqlite+aiosqlite:///``;
    anything else is left as given."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url.split("://", 1)[1]
    return url
