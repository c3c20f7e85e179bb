"""Sector sub-teams (podzespoły branżowe)."""
