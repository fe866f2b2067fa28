"""Imports every model module so Base.metadata is complete (for Alembic and for tests)."""

from bot import audit as _audit  # noqa: F401
from bot.actions import models as _actions  # noqa: F401
from bot.board import models as _board  # noqa: F401
from bot.cases import models as _cases  # noqa: F401
from bot.db.engine import Base
from bot.deadlines import models as _deadlines  # noqa: F401
from bot.learning_together import models as _learning_together  # noqa: F401
from bot.meetings import models as _meetings  # noqa: F401
from bot.people import models as _people  # noqa: F401
from bot.rapid_review import models as _rapid_review  # noqa: F401
from bot.records import models as _records  # noqa: F401
from bot.reminders import models as _reminders  # noqa: F401
from bot.slack import dedupe as _dedupe  # noqa: F401
from bot.tenants import models as _tenants  # noqa: F401
from bot.webhook import models as _webhook  # noqa: F401

metadata = Base.metadata
