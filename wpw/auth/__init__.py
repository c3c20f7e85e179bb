"""Accounts: registration, login, roles and organisations."""
