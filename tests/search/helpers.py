"""Small helpers for the search tests: annotate round 2 of the small programme
and search as someone."""

from __future__ import annotations

from tests.api.conftest import CONSULTATION_DAY
from wpw.annotations import services as annotations
from wpw.annotations.models import Annotation, AnnotationKind
from wpw.auth.models import User
from wpw.documents.models import Round, SectionVersion
from wpw.extensions import db
from wpw.search import services
from wpw.search.services import SearchParams, SearchResult


def version_of(round_: Round, key: str) -> SectionVersion:
    return next(v for v in round_.versions if v.section.key == key)


def annotate(
    author: User,
    version: SectionVersion,
    body: str,
    *,
    line: int = 1,
    kind: AnnotationKind = AnnotationKind.COMMENT,
    commit: bool = True,
    **extra,
) -> Annotation:
    annotation = annotations.create_annotation(
        author,
        version,
        kind=kind,
        body=body,
        first_line=line,
        last_line=line,
        today=CONSULTATION_DAY,
        **extra,
    )
    if commit:
        db.session.commit()
    return annotation


def find(q: str = "", actor: User | None = None, **kwargs) -> SearchResult:
    filters = {
        name: tuple(v) if isinstance(v, list | tuple) else (v,)
        for name, v in kwargs.pop("filters", {}).items()
    }
    return services.search(actor, SearchParams(q=q, filters=filters, **kwargs))


def ids(result: SearchResult, doc_type: str = "annotation") -> set[int]:
    return {h.object_id for h in result.hits if h.doc_type == doc_type}
