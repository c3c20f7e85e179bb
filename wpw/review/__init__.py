"""The Coordinating Team's review: sub-team triage, decisions, and applying them."""
