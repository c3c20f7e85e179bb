"""This page's URL with some query arguments changed (the pagers' links)."""

from wpw.urls import this_url_with


def test_changes_one_argument_and_keeps_the_others(app) -> None:
    with app.test_request_context("/review/?kind=question&sector=a&sector=b&page=3"):
        assert this_url_with(page=4) == (
            "/review/?kind=question&sector=a&sector=b&page=4"
        )


def test_anchor_and_external(app) -> None:
    with app.test_request_context("/x?q=uchwa%C5%82a+%26+co%C5%9B", "http://wpw.test/"):
        assert this_url_with(apage=2, anchor="notes") == (
            "/x?q=uchwa%C5%82a+%26+co%C5%9B&apage=2#notes"
        )
        assert this_url_with(page=1, external=True) == (
            "http://wpw.test/x?q=uchwa%C5%82a+%26+co%C5%9B&page=1"
        )
