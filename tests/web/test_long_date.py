"""French writes the first day of a month "1er" (1er février), on screens, letters and e-mails alike, through the
one long_date filter; English keeps "1 February"."""

import datetime as dt

import pytest
from django.template import engines
from django.utils import translation


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language,day,expected", [
    ("fr", 1, "1er février 2024"), ("fr", 2, "2 février 2024"),
    ("en", 1, "1 February 2024"), ("en", 2, "2 February 2024")])
def test_the_first_of_a_month_is_an_ordinal_in_french_only(language, day, expected):
    assert render("{{ d|long_date }}", language, d=dt.date(2024, 2, day)) == expected


@pytest.mark.parametrize("language,day,expected", [
    ("fr", 1, "jeudi 1er février 2024 à 09:30"), ("fr", 2, "vendredi 2 février 2024 à 09:30"),
    ("en", 1, "Thursday 1 February 2024 à 09:30")])
def test_other_formats_keep_their_parts(language, day, expected):
    assert render('{{ d|long_date:"l j F Y à H:i" }}', language, d=dt.datetime(2024, 2, day, 9, 30)) == expected


def test_no_date_prints_nothing():
    assert render("{{ d|long_date }}", "fr", d=None) == ""


@pytest.mark.article("47")
def test_the_student_home_announces_the_balance_on_the_1er_fevrier(client, registered):
    client.force_login(registered.student.user)
    html = client.get("/").content.decode()
    assert "1er février 2024" in html and "1 février 2024" not in html
