"""Incident notifications: the modal, the webhook and the one service both use."""
