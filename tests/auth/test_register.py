"""Registration: accounts stored only when every rule holds, reasons per field."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.auth.support import field_errors
from tests.conftest import make_user
from wpw.auth.models import Organisation, Role, User
from wpw.extensions import db

GOOD = {
    "email": "Ala.Nowak@Example.ORG",
    "name": "Ala Nowak",
    "password": "zielone jabłka w sadzie",
    "confirm": "zielone jabłka w sadzie",
}


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_register_page_renders(client) -> None:
    response = client.get("/register")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'autocomplete="new-password"' in html
    assert 'autocomplete="organization"' in html


def test_register_stores_a_citizen_and_logs_in(client) -> None:
    response = client.post("/register", data=GOOD)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = db.session.scalar(select(User))
    assert user.email == "ala.nowak@example.org"
    assert user.role is Role.CITIZEN
    assert user.organisation is None
    assert user.check_password(GOOD["password"])
    account = client.get("/account", follow_redirects=False)
    assert account.status_code == 200
    assert "Ala Nowak" in account.get_data(as_text=True)


def test_register_flashes_success(client) -> None:
    response = client.post("/register", data=GOOD, follow_redirects=True)
    assert "Konto zostało założone" in response.get_data(as_text=True)


def test_register_with_organisation_gives_ngo_role(client) -> None:
    data = {**GOOD, "organisation_name": "Fundacja Zielony Kraków", "krs": "0000123456"}
    assert client.post("/register", data=data).status_code == 302

    user = db.session.scalar(select(User))
    assert user.role is Role.NGO
    assert user.organisation.name == "Fundacja Zielony Kraków"
    assert user.organisation.krs == "0000123456"


def test_krs_joins_the_existing_organisation(client) -> None:
    first = make_user(Role.NGO, organisation="Fundacja Wspólna", krs="0000123456")
    data = {**GOOD, "organisation_name": "Fundacja Wspólna Kraków", "krs": "0000123456"}

    assert client.post("/register", data=data).status_code == 302

    user = db.session.scalar(select(User).where(User.email == "ala.nowak@example.org"))
    assert user.organisation_id == first.organisation_id
    assert count(Organisation) == 1


def test_taken_email_in_another_case_is_refused(client) -> None:
    make_user(email="ala.nowak@example.org")

    response = client.post("/register", data={**GOOD, "email": "ALA.NOWAK@example.org"})

    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "email") == [
        "Konto z tym adresem e-mail już istnieje."
    ]
    assert count(User) == 1


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("krótkie", "Hasło musi mieć co najmniej 10 znaków."),
        ("1234567890", "To hasło jest zbyt łatwe do odgadnięcia."),
        ("ala.nowak-ma-kota", "Hasło nie może zawierać adresu e-mail ani imienia."),
    ],
)
def test_weak_password_is_refused(client, password: str, reason: str) -> None:
    data = {**GOOD, "password": password, "confirm": password}

    response = client.post("/register", data=data)

    assert response.status_code == 422
    assert reason in field_errors(response.get_data(as_text=True), "password")
    assert count(User) == 0


@pytest.mark.parametrize("krs", ["12345", "12345678901", "abcdefghij", "00001234 6"])
def test_malformed_krs_is_refused(client, krs: str) -> None:
    data = {**GOOD, "organisation_name": "Stowarzyszenie Sąsiedzi", "krs": krs}

    response = client.post("/register", data=data)

    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "krs") == [
        "Numer KRS to dokładnie 10 cyfr, np. 0000123456."
    ]
    assert count(User) == 0
    assert count(Organisation) == 0


def test_krs_without_organisation_name_is_refused(client) -> None:
    response = client.post("/register", data={**GOOD, "krs": "0000123456"})

    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "organisation_name") == [
        "Podaj nazwę organizacji, do której należy numer KRS."
    ]
    assert count(User) == 0


def test_mismatched_confirmation_is_refused(client) -> None:
    response = client.post("/register", data={**GOOD, "confirm": "inne hasło zupełnie"})

    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "confirm") == [
        "Hasła nie są takie same."
    ]
    assert count(User) == 0


def test_every_reason_shows_at_once(client) -> None:
    make_user(email="ala.nowak@example.org")
    data = {
        "email": "Ala.Nowak@example.org",
        "name": "",
        "password": "krótkie",
        "confirm": "inne",
        "organisation_name": "Fundacja",
        "krs": "123",
    }

    html = client.post("/register", data=data).get_data(as_text=True)

    assert field_errors(html, "email") == ["Konto z tym adresem e-mail już istnieje."]
    assert field_errors(html, "name") == ["Podaj imię i nazwisko."]
    assert field_errors(html, "password") == ["Hasło musi mieć co najmniej 10 znaków."]
    assert field_errors(html, "confirm") == ["Hasła nie są takie same."]
    assert field_errors(html, "krs") == [
        "Numer KRS to dokładnie 10 cyfr, np. 0000123456."
    ]
    assert 'aria-describedby="krs-hint krs-error"' in html
    assert count(User) == 1


def test_empty_form_says_each_reason_once(client) -> None:
    html = client.post("/register", data={}).get_data(as_text=True)

    assert field_errors(html, "email") == ["Podaj adres e-mail."]
    assert field_errors(html, "password") == ["Podaj hasło."]
    assert field_errors(html, "organisation_name") == []


def test_malformed_email_is_refused(client) -> None:
    response = client.post("/register", data={**GOOD, "email": "ala(at)example"})

    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "email") == [
        "Podaj poprawny adres e-mail."
    ]


def test_signed_in_user_is_sent_to_the_account_page(client, auth) -> None:
    auth.login(make_user())
    response = client.get("/register")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
