"""The report part of the OpenAPI document, merged in by :mod:`wpw.api.openapi`."""

from __future__ import annotations

from typing import Any

PATHS: dict[str, Any] = {}
SCHEMAS: dict[str, Any] = {}
