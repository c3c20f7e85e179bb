"""Annotating a published round: write on a section, read a thread, reply, edit,
withdraw, report and moderate.

Views are thin: load or 404, send anonymous users to the login page, validate the
form, call one service from :mod:`wpw.annotations.services`, commit once,
redirect; a refused action shows the service's message with its status code and
saves nothing. :func:`section_panel` gives the section page its annotations.

The blueprint, labels and template helpers are in
:mod:`~wpw.annotations.views.common`; the section page's part and writing in
:mod:`~wpw.annotations.views.section`; a thread and what is done on it in
:mod:`~wpw.annotations.views.threads`. Import their public names from here.
"""

from wpw.annotations.views.common import KIND_LABELS, STATE_LABELS, bp
from wpw.annotations.views.section import MANY, NOTES_PER_PAGE, Entry, section_panel
from wpw.annotations.views.threads import load_annotation, render_thread

__all__ = [
    "KIND_LABELS",
    "MANY",
    "NOTES_PER_PAGE",
    "STATE_LABELS",
    "Entry",
    "bp",
    "load_annotation",
    "render_thread",
    "section_panel",
]
