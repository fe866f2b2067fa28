"""ReviewBot: coordinates child safeguarding case reviews in Slack."""

__version__ = "0.1.0"
