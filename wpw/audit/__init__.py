"""The audit log: decisions, publications, moderation and role changes."""
