"""Importing a working copy's text from an office file (.docx, .odt, .md, .txt).

Three steps, each its own module:

1. **read** (:mod:`.readers`, :mod:`.word`, :mod:`.opendocument`): the upload,
   checked for size and type, becomes paragraphs; the pure
   :func:`wpw.text.sections.split_sections` cuts them into sections;
2. **plan** (:mod:`.plan`): the sections are matched to the working copy's and
   the plan is kept for an hour (:mod:`.pending`) for the preview;
3. **apply**: on confirmation the plan is carried out with the working-copy
   services, all or nothing.

The functions here take the acting user explicitly, raise errors from
:mod:`wpw.errors`, flush and never commit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO

from flask_babel import gettext as _

from wpw.auth.models import User
from wpw.auth.permissions import can_edit_round
from wpw.documents.importing import pending as pending_imports
from wpw.documents.importing.opendocument import read_odt
from wpw.documents.importing.pending import PendingImport
from wpw.documents.importing.plan import (
    ImportMode,
    ImportPlan,
    PlanRow,
    RowStatus,
    apply_plan,
    build_plan,
)
from wpw.documents.importing.readers import (
    EXTENSIONS,
    MAX_UPLOAD_BYTES,
    extension,
    read_markdown,
    read_plain_text,
    read_upload,
    refuse,
    too_large_message,
    wrong_type_message,
)
from wpw.documents.importing.word import read_docx
from wpw.documents.models import Round
from wpw.errors import InvalidFields, InvalidTransition, NotAllowed
from wpw.text.sections import Issue, IssueCode, Paragraph, split_sections

__all__ = [
    "EXTENSIONS",
    "MAX_UPLOAD_BYTES",
    "ImportMode",
    "ImportPlan",
    "PendingImport",
    "PlanRow",
    "RowStatus",
    "apply_import",
    "discard_pending",
    "issue_message",
    "load_pending",
    "prepare_import",
    "read_paragraphs",
    "replan",
    "too_large_message",
]

#: At most this many reasons are listed for one refused file.
MAX_REASONS = 10

READERS: dict[str, Callable[[bytes], list[Paragraph]]] = {
    "docx": read_docx,
    "odt": read_odt,
    "md": read_markdown,
    "txt": read_plain_text,
}


def read_paragraphs(filename: str, data: bytes) -> list[Paragraph]:
    """The paragraphs of the file called *filename* with content *data*.

    The extension chooses the reader, and the content must agree with it.
    Raises :class:`InvalidFields` for any other type and unreadable content.
    """
    reader = READERS.get(extension(filename))
    if reader is None:
        refuse(wrong_type_message())
    if len(data) > MAX_UPLOAD_BYTES:
        refuse(too_large_message())
    return reader(data)


def display_filename(filename: str | None) -> str:
    """The upload's own name, safe to show and record: no folders, no control
    characters, at most 120 characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:120] or _("plik")


def _check_round(actor: User, round_: Round) -> None:
    if round_.is_frozen:
        raise InvalidTransition(
            _("Importować można tylko do wersji roboczej, nie do opublikowanej rundy.")
        )
    if not can_edit_round(actor, round_):
        raise NotAllowed(_("Wersję roboczą edytuje tylko Zespół Koordynujący."))


def prepare_import(
    actor: User, round_: Round, filename: str | None, stream: IO[bytes], mode: str
) -> PendingImport:
    """Read an upload, split and match it, and keep the plan for the preview.

    Writes nothing to the database. Raises :class:`NotAllowed` and
    :class:`InvalidTransition` like the working-copy services, and
    :class:`InvalidFields` (reasons under ``"file"``) for a file that is too
    large, of another type, unreadable, or without a clean list of sections.
    """
    _check_round(actor, round_)
    name = display_filename(filename)
    result = split_sections(read_paragraphs(name, read_upload(stream)))
    if result.problems:
        reasons = [issue_message(issue) for issue in result.problems]
        if len(reasons) > MAX_REASONS:
            more = len(reasons) - MAX_REASONS + 1
            reasons[MAX_REASONS - 1 :] = [_("…i %(n)d innych problemów.", n=more)]
        raise InvalidFields({"file": reasons})
    plan = build_plan(round_, result.sections, ImportMode(mode))
    return pending_imports.store(
        actor, round_, name, result.sections, result.warnings, plan
    )


def load_pending(actor: User, round_: Round, token: str) -> PendingImport | None:
    """*actor*'s pending import *token* into *round_*; ``None`` once expired."""
    return pending_imports.load(actor, round_, token)


def discard_pending(pending: PendingImport) -> None:
    """Forget a pending import (after it was applied: call after the commit)."""
    pending_imports.discard(pending)


def replan(actor: User, round_: Round, pending: PendingImport) -> PendingImport:
    """The same file planned again against the working copy as it is now, e.g.
    after a :class:`Conflict`, under a new token; the old one is forgotten."""
    _check_round(actor, round_)
    plan = build_plan(round_, pending.sections, pending.plan.mode)
    fresh = pending_imports.store(
        actor, round_, pending.filename, pending.sections, pending.warnings, plan
    )
    pending_imports.discard(pending)
    return fresh


def apply_import(actor: User, round_: Round, pending: PendingImport) -> ImportPlan:
    """Carry out a previewed import, recording "Import z pliku …" as the message.

    Flushes, never commits. Raises :class:`Conflict` if the working copy
    changed since the preview, and whatever the working-copy services raise;
    the caller then rolls back and nothing is written.
    """
    _check_round(actor, round_)
    if pending.user_id != actor.id or pending.round_id != round_.id:
        raise NotAllowed(_("To nie jest Twój import do tej rundy."))
    message = _("Import z pliku %(name)s", name=pending.filename)
    apply_plan(actor, round_, pending.plan, message)
    return pending.plan


def issue_message(issue: Issue) -> str:
    """What to tell the person importing about *issue*, in their language."""
    where = issue.paragraph
    messages = {
        IssueCode.NO_SECTIONS: lambda: _(
            "Nie znaleziono w pliku paragrafów. Każdy paragraf zacznij nagłówkiem "
            "(np. „§ 4. Cele programu”, styl Nagłówek 1) albo wierszem od „§ 4”."
        ),
        IssueCode.DUPLICATE_NUMBER: lambda: _(
            "Numer %(number)s występuje w pliku więcej niż raz (drugi raz w "
            "akapicie %(n)d).",
            number=issue.detail,
            n=where,
        ),
        IssueCode.DUPLICATE_TITLE: lambda: _(
            "Dwa paragrafy bez numeru mają ten sam tytuł „%(title)s” (akapit %(n)d).",
            title=issue.detail,
            n=where,
        ),
        IssueCode.MISSING_NUMBER: lambda: _(
            "Nagłówek „%(title)s” (akapit %(n)d) nie ma numeru. Zacznij go od "
            "„§ 4” albo „2.3”.",
            title=issue.detail,
            n=where,
        ),
        IssueCode.MISSING_TITLE: lambda: _(
            "Paragraf %(number)s (akapit %(n)d) nie ma tytułu ani treści po numerze.",
            number=issue.detail,
            n=where,
        ),
        IssueCode.NUMBER_TOO_LONG: lambda: _(
            "Numer „%(number)s” (akapit %(n)d) jest za długi: najwyżej 20 znaków.",
            number=issue.detail,
            n=where,
        ),
        IssueCode.TITLE_TOO_LONG: lambda: _(
            "Tytuł paragrafu %(number)s (akapit %(n)d) jest za długi: najwyżej 300 "
            "znaków. Czy po samym numerze „%(number)s” nie brakuje wiersza z "
            "tytułem?",
            number=issue.detail,
            n=where,
        ),
        IssueCode.PREAMBLE: lambda: _(
            "Tekst przed pierwszym paragrafem (od „%(start)s”, wierszy: %(count)d) "
            "nie zostanie zaimportowany.",
            count=issue.count,
            start=issue.detail[:80],
        ),
        IssueCode.SKIPPED_HEADING: lambda: _(
            "Nagłówek „%(text)s” (akapit %(n)d) nie jest paragrafem i zostanie "
            "pominięty.",
            text=issue.detail[:120],
            n=where,
        ),
        IssueCode.EMPTY_SECTION: lambda: _(
            "Paragraf %(number)s nie ma treści.", number=issue.detail
        ),
    }
    return messages[issue.code]()
