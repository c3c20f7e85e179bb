"""Comparing two rounds of a programme, or two versions of one section."""
