"""Imports waiting for confirmation: the plan kept on the server between the
preview and the click on "Importuj", so the file need not be sent twice.

Each is a JSON file ``<token>.json`` in ``WPW_IMPORT_DIR`` (default:
``instance/imports``; on several app servers, a directory they all reach),
written only by the owner (mode 600). It records who uploaded it and into which
round; anyone else, another round or a token older than :data:`TTL_SECONDS`
finds nothing. Expired files are swept whenever a new one is stored.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app

from wpw.auth.models import User
from wpw.documents.importing.plan import ImportMode, ImportPlan, PlanRow, RowStatus
from wpw.documents.models import Round
from wpw.text.sections import Issue, IssueCode, ParsedSection

TTL_SECONDS = 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True, slots=True)
class PendingImport:
    """A parsed file and its plan, waiting for the uploader to confirm."""

    token: str
    user_id: int
    round_id: int
    created: float
    filename: str
    sections: tuple[ParsedSection, ...]
    warnings: tuple[Issue, ...]
    plan: ImportPlan

    @property
    def expires(self) -> float:
        return self.created + TTL_SECONDS


def directory() -> Path:
    return Path(current_app.config["WPW_IMPORT_DIR"])


def store(
    actor: User,
    round_: Round,
    filename: str,
    sections: tuple[ParsedSection, ...],
    warnings: tuple[Issue, ...],
    plan: ImportPlan,
) -> PendingImport:
    """Keep a new pending import and return it with its fresh token."""
    pending = PendingImport(
        token=secrets.token_urlsafe(24),
        user_id=actor.id,
        round_id=round_.id,
        created=time.time(),
        filename=filename,
        sections=sections,
        warnings=warnings,
        plan=plan,
    )
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    path = folder / f"{pending.token}.json"
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(_to_json(pending), f, ensure_ascii=False)
    os.replace(temporary, path)
    return pending


def load(actor: User, round_: Round, token: str) -> PendingImport | None:
    """The pending import *token* of *actor* into *round_*, if still valid."""
    if not _TOKEN.match(token):
        return None
    path = directory() / f"{token}.json"
    try:
        pending = _from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if (
        pending.token != token
        or pending.user_id != actor.id
        or pending.round_id != round_.id
        or pending.expires < time.time()
    ):
        return None
    return pending


def discard(pending: PendingImport) -> None:
    (directory() / f"{pending.token}.json").unlink(missing_ok=True)


def _sweep(folder: Path) -> None:
    cutoff = time.time() - TTL_SECONDS
    for path in [*folder.glob("*.json"), *folder.glob("*.tmp")]:
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue  # another process swept it first


def _to_json(pending: PendingImport) -> dict:
    data = asdict(pending)
    data["format"] = 1
    return data


def _from_json(data: dict) -> PendingImport:
    if data.get("format") != 1:
        raise ValueError("unknown pending import format")
    plan = data["plan"]
    return PendingImport(
        token=str(data["token"]),
        user_id=int(data["user_id"]),
        round_id=int(data["round_id"]),
        created=float(data["created"]),
        filename=str(data["filename"]),
        sections=tuple(ParsedSection(**s) for s in data["sections"]),
        warnings=tuple(
            Issue(**{**w, "code": IssueCode(w["code"])}) for w in data["warnings"]
        ),
        plan=ImportPlan(
            mode=ImportMode(plan["mode"]),
            rows=tuple(
                PlanRow(**{**r, "status": RowStatus(r["status"])}) for r in plan["rows"]
            ),
            snapshot=tuple((int(v), int(r)) for v, r in plan["snapshot"]),
        ),
    )
