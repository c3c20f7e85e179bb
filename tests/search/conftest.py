"""Search fixtures: the app drains the outbox after every commit (as in
production; other features' tests leave it off), and the API's small programme
with its annotations (see :mod:`tests.api.conftest`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.api.conftest import (  # noqa: F401  (fixtures used by these tests)
    annotated,
    api,
    small,
    validate,
)
from tests.conftest import isolated_app_context, make_app


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    app = make_app(tmp_path, WPW_SEARCH_DRAIN_AFTER_COMMIT=True)
    with isolated_app_context(app):
        yield app
