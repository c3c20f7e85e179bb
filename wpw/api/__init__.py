"""JSON API v1: one blueprint, ``bp``, made in :mod:`wpw.api.views`.

:mod:`wpw.api.annotations`, :mod:`wpw.api.search` and :mod:`wpw.api.report`
add their routes to it. Importing this
package imports both modules, so whoever imports ``bp`` (from here or from
:mod:`wpw.api.views`) gets every route before the blueprint is registered.
"""

from wpw.api import annotations, report, search  # noqa: F401  (add routes to bp)
from wpw.api.views import bp

__all__ = ["bp"]
