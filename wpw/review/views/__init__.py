"""The review pages (blueprint ``review``): the Coordinating Team's queue, a
sub-team's queue, and one annotation's review page with its forms.

Views are thin: load or 404, send anonymous users to the login page (403 for
users who may not see the page), call one service from
:mod:`wpw.review.services`, commit once, redirect; a refused step shows the
service's message with its status code (409 for a stale page) and saves
nothing. Routes live in :mod:`~wpw.review.views.queues` and
:mod:`~wpw.review.views.annotation`; the blueprint in :mod:`~.common`.
"""

from wpw.review.views import annotation, queues
from wpw.review.views.annotation import render_review
from wpw.review.views.common import bp

__all__ = ["annotation", "bp", "queues", "render_review"]
