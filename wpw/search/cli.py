"""``flask wpw …`` commands of this feature; :mod:`wpw.cli` adds ``commands``."""

from __future__ import annotations

import click

commands: list[click.Command] = []
