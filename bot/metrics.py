"""Prometheus metrics, one registry per application instance (tests build many apps)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
# Messages one person gets in one delivery: 1 is the aim (everything due in one message).
PER_PERSON_BUCKETS = (1, 2, 3, 5, 10, 20, 50)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "reviewbot_requests_total",
            "Requests by route and outcome",
            ["route", "kind", "outcome"],
            registry=self.registry,
        )
        self.ack_latency = Histogram(
            "reviewbot_ack_latency_seconds",
            "Time from receiving a Slack request to answering it",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self.reminders_sent = Counter(
            "reviewbot_reminders_sent_total", "Reminders delivered", registry=self.registry
        )
        self.reminders_late = Counter(
            "reviewbot_reminders_late_total",
            "Reminders delivered after their due time (catch-up)",
            registry=self.registry,
        )
        self.reminders_failed = Counter(
            "reviewbot_reminders_failed_total",
            "Reminder delivery attempts that failed",
            registry=self.registry,
        )
        self.reminders_dead = Counter(
            "reviewbot_reminders_dead_lettered_total",
            "Reminders given up after repeated failure",
            registry=self.registry,
        )
        self.messages_per_person = Histogram(
            "reviewbot_reminder_messages_per_person",
            "Direct messages sent to one person in one reminder delivery",
            buckets=PER_PERSON_BUCKETS,
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "reviewbot_reminder_queue_depth", "Reminders due now and not yet sent", registry=self.registry
        )
        self.background_errors = Counter(
            "reviewbot_background_errors_total",
            "Unexpected errors in work done after the ack",
            registry=self.registry,
        )
        self.access_refused = Counter(
            "reviewbot_access_refused_total",
            "Requests refused by the access gate, by declared permission and reason",
            ["permission", "why"],
            registry=self.registry,
        )
        self._refreshers: list[Callable[[], Awaitable[None]]] = []

    def on_scrape(self, refresher: Callable[[], Awaitable[None]]) -> None:
        """Register a coroutine that refreshes gauges (e.g. queue depth from the database) on scrape."""
        self._refreshers.append(refresher)

    async def render(self) -> bytes:
        for refresh in self._refreshers:
            await refresh()
        return generate_latest(self.registry)
