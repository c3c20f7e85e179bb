"""Rules for programmes, rounds and section versions, split by use.

Services take the acting user explicitly, check permissions and invariants, raise
errors from :mod:`wpw.errors`, flush and never commit. Callers import this
package (``from wpw.documents import services``); the modules are:

- :mod:`.reading` — finding programmes, rounds and versions;
- :mod:`.rounds` — creating and publishing rounds, the frozen-version guard;
- :mod:`.working_copy` — the Coordinating Team's editable next round.
"""

from wpw.documents.services.reading import (
    all_programmes,
    latest_public_round,
    programme_by_slug,
    round_by_number,
    round_events,
    section_history,
    version_in_round,
    visible_rounds,
    working_round,
)
from wpw.documents.services.rounds import (
    FrozenVersionError,
    create_round,
    publish_round,
    save_section_version,
)
from wpw.documents.services.working_copy import (
    add_section,
    discard_working_copy,
    move_section,
    open_working_copy,
    remove_section,
    save_section,
)

__all__ = [
    "FrozenVersionError",
    "add_section",
    "all_programmes",
    "create_round",
    "discard_working_copy",
    "latest_public_round",
    "move_section",
    "open_working_copy",
    "programme_by_slug",
    "publish_round",
    "remove_section",
    "round_by_number",
    "round_events",
    "save_section",
    "save_section_version",
    "section_history",
    "version_in_round",
    "visible_rounds",
    "working_round",
]
