"""Reading an uploaded file into paragraphs: checks shared by every format, and
the plain-text formats (``.txt``, ``.md``).

Every reader takes the file's bytes and returns
:class:`~wpw.text.sections.Paragraph` objects; anything wrong with the file
raises :class:`~wpw.errors.InvalidFields` with the reasons under ``"file"``, so
the upload form shows them next to its file field. Word and OpenDocument files
are read in :mod:`.word` and :mod:`.opendocument`.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from io import BytesIO
from pathlib import PurePath
from typing import IO, NoReturn

from flask_babel import gettext as _

from wpw.errors import InvalidFields
from wpw.text.sections import Paragraph, markdown_unescape

#: The largest file accepted (5 MB), whatever the server's request limit.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: A zip may unpack to at most this much (50 MB) and hold this many entries:
#: a defence against zip bombs, checked before any XML is parsed. Python's
#: ``zipfile`` never inflates an entry past the size its header declares.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
EXTENSIONS = ("docx", "odt", "md", "txt")

# C0 controls other than tab, newline, form feed and carriage return.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")


def refuse(reason: str) -> NoReturn:
    """Raise the error the upload form shows under its file field."""
    raise InvalidFields({"file": [reason]})


def read_upload(stream: IO[bytes]) -> bytes:
    """The uploaded bytes; refuses a file over :data:`MAX_UPLOAD_BYTES`."""
    data = stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        refuse(too_large_message())
    if not data:
        refuse(_("Plik jest pusty."))
    return data


def too_large_message() -> str:
    return _(
        "Plik jest za duży: najwyżej %(mb)d MB. Usuń z niego obrazy albo zapisz "
        "sam tekst jako .txt.",
        mb=MAX_UPLOAD_BYTES // (1024 * 1024),
    )


def extension(filename: str) -> str:
    """The file's extension, lower-case, without the dot."""
    return PurePath(filename.replace("\\", "/")).suffix.lower().lstrip(".")


def wrong_type_message() -> str:
    return _("Wybierz plik .docx (Word), .odt (LibreOffice), .md albo .txt.")


def open_zip(data: bytes, required: tuple[str, ...], kind: str) -> zipfile.ZipFile:
    """*data* as a zip holding *required* entries, after the zip-bomb checks.

    *kind* names the expected format in messages ("Word (.docx)").
    """
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Word 97–2003 .doc and kin
        refuse(
            _(
                "To jest plik w starym formacie (.doc). Otwórz go w edytorze i "
                "zapisz jako dokument %(kind)s.",
                kind=kind,
            )
        )
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        refuse(
            _(
                "Plik nie jest poprawnym dokumentem %(kind)s albo jest uszkodzony.",
                kind=kind,
            )
        )
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES
    ):
        refuse(
            _(
                "Po rozpakowaniu plik byłby większy niż %(mb)d MB. Nie można go "
                "bezpiecznie odczytać.",
                mb=MAX_UNZIPPED_BYTES // (1024 * 1024),
            )
        )
    names = {e.filename for e in entries}
    if not all(name in names for name in required):
        refuse(_("Plik nie jest dokumentem %(kind)s.", kind=kind))
    return archive


def decode_text(data: bytes) -> str:
    """*data* as text: UTF-8 (with or without a BOM), UTF-16 with a BOM, or
    Windows-1250, the encoding of older Polish Windows files.

    Refuses binary content, e.g. a renamed Word file or PDF.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "cp1250")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _BINARY.search(text):
            return text
        break
    refuse(
        _(
            "To nie jest plik tekstowy (albo ma nieznane kodowanie znaków). "
            "Zapisz go jako tekst w UTF-8."
        )
    )


def read_plain_text(data: bytes) -> list[Paragraph]:
    """Every line of a ``.txt`` file is a paragraph; sections start at § lines."""
    return [Paragraph(line) for line in decode_text(data).splitlines()]


def read_markdown(data: bytes) -> list[Paragraph]:
    """ATX headings (``#`` … ``######``) and lines of a ``.md`` file.

    Every other line is a line of text as it stands: list markers stay part of
    the text, and backslash escapes are undone. Setext headings (underlined with
    ``===``) are not recognised.
    """
    paragraphs = []
    for line in decode_text(data).splitlines():
        if match := _ATX.match(line):
            level, text = len(match.group(1)), match.group(2) or ""
            paragraphs.append(Paragraph(markdown_unescape(text), level))
        else:
            paragraphs.append(Paragraph(markdown_unescape(line)))
    return paragraphs
