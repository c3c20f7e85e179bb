"""Outgoing mail: an outbox written with the data, sent after commit over SMTP."""
