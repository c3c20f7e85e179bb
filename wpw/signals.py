"""Every signal WPW sends, in one place (Flask's blinker namespace).

Services send them **inside** the transaction, after flushing, so a receiver
that writes rows (an outbox) commits or rolls back together with the change.
Receivers must not do IO themselves: mail and indexing happen after commit,
from their outbox tables (:mod:`wpw.mail`, :mod:`wpw.search`).

``annotation_created``  sender: the new annotation (not a reply).
``reply_created``       sender: the new reply; its parent is ``sender.parent``.
``annotation_decided``  sender: the annotation; ``event``: its new
                        :class:`~wpw.review.models.ReviewEvent` (decided or revised).
"""

from __future__ import annotations

from flask.signals import Namespace

_signals = Namespace()

annotation_created = _signals.signal("annotation-created")
reply_created = _signals.signal("reply-created")
annotation_decided = _signals.signal("annotation-decided")
