"""Meetings of a case: invitation with a calendar file, answers, reminders, attendance, continuity."""
