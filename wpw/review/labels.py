"""Display names for decisions and review statuses, shared by every page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from wpw.annotations.models import Decision
from wpw.review.models import ChangeStatus, ReviewStatus

DECISION_LABELS = {
    Decision.ACCEPTED: _l("uwzględniona"),
    Decision.PARTIALLY_ACCEPTED: _l("uwzględniona częściowo"),
    Decision.REJECTED: _l("nieuwzględniona"),
    Decision.NOTED: _l("przyjęta do wiadomości"),
}
#: The author's withdrawal, shown where a decision would be.
WITHDRAWN_LABEL = _l("wycofana przez autora")

STATUS_LABELS = {
    ReviewStatus.NEW: _l("nowa"),
    ReviewStatus.RECOMMENDED: _l("z rekomendacją podzespołu"),
    ReviewStatus.DECIDED: _l("rozstrzygnięta"),
    ReviewStatus.WITHDRAWN: _l("wycofana"),
}

CHANGE_STATUS_LABELS = {
    ChangeStatus.APPLIED: _l("wprowadzona do kopii roboczej"),
    ChangeStatus.CONFLICT: _l("konflikt — do rozstrzygnięcia ręcznie"),
    ChangeStatus.RESOLVED: _l("konflikt rozstrzygnięty ręcznie"),
}
