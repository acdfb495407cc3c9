"""A student who reads Parcours in English reads the regulation's reasons in English (issue 11 §4)."""

import pytest
from django.urls import reverse

from parcours.admissions.models import AdmissionRequest


def _english(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


@pytest.mark.article("47", "48")
def test_the_fees_page_in_english_gives_the_reasons_in_english(client, world, registered):
    _english(client, registered.student.user)
    page = client.get(reverse("my_fees")).content.decode()
    # art. 48: the 50 € acompte by 31 October 2023, written the English way
    assert "Next payment: €50.00 no later than 31 October 2023." in page
    assert "Prochaine échéance" not in page and "au plus tard le" not in page


@pytest.mark.article("47", "48")
def test_the_fees_page_in_french_is_unchanged(client, world, registered):
    client.force_login(registered.student.user)
    page = client.get(reverse("my_fees")).content.decode()
    assert "Prochaine échéance : 50,00 € au plus tard le 31 octobre 2023." in page


@pytest.mark.article("29", "176")
def test_a_decision_stored_in_french_is_shown_in_english(client, world, registered):
    """The registration decision is stored (JSON) when taken; the student reads it later in English."""
    req = AdmissionRequest.objects.get(registration=registered)
    stored = req.decision["inscription"]["reasons"][0]
    # art. 29: the documents attesting the registration within 15 working days of the regular registration
    assert stored["text"] == ("Remise des documents attestant l'inscription : 15 jours ouvrables après l'inscription "
                              "régulière (20 septembre 2023).")
    _english(client, registered.student.user)
    page = client.get(reverse("request_detail", args=[req.pk])).content.decode()
    assert ("Submission of the documents attesting the registration: 15 working days after the regular registration "
            "(20 September 2023).") in page
    assert "Seuls les jours du lundi au vendredi" not in page
    assert "Only Monday to Friday are counted (Saturday is not a working day)." in page


@pytest.mark.article("22", "32")
def test_a_refusal_with_the_rules_reasons_is_written_in_the_askers_language(world, applicant, on):
    """A request on 1 October (after the 30 September date of art. 22) is refused with the rule's own words."""
    from django.utils import translation

    from parcours.admissions import services
    from tests.web.admissions_support import submit

    on("2023-10-01")
    with translation.override("en"), pytest.raises(services.AdmissionError) as refused:
        submit(applicant, world, kind="inscription")
    assert str(refused.value).startswith("Request out of time: After 30 September, only a reasoned late registration is "
                                         "possible, no later than 15 February 2024 (art. 32).")
    with pytest.raises(services.AdmissionError) as refused:
        submit(applicant, world, kind="inscription")
    assert str(refused.value).startswith("Demande hors délai : Après le 30 septembre, seule une inscription tardive "
                                         "motivée est possible, au plus tard le 15 février 2024 (art. 32).")
