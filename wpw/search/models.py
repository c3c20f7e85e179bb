"""The search outbox: what the indexer must (re)index, written with the data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from wpw.core import UTCDateTime, utcnow
from wpw.extensions import db


class SearchOutbox(db.Model):
    """ "Document *doc_type*:*doc_id* changed": the indexer reloads it from the
    database and updates or deletes it in the index."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(20))
    doc_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<SearchOutbox {self.doc_type}:{self.doc_id}>"
