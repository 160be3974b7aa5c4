import datetime

from django.urls import reverse
from django.utils import formats, translation

from cordee.core.templatetags.cordee import kg


def test_fr_ca_formats():
    with translation.override("fr-ca"):
        assert formats.date_format(datetime.date(2026, 11, 26)) == "26 nov. 2026"
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1\xa0234,5"
        assert kg(1_234_500) == "1\xa0234,5\xa0kg"
        assert kg(800_000) == "800\xa0kg"
        assert kg(None) == "—"


def test_english_formats():
    with translation.override("en"):
        assert kg(1_234_500) == "1,234.5\xa0kg"


def test_french_is_the_default_language(client, org_a):
    response = client.get(reverse("core:login"))
    assert '<html lang="fr-CA">' in response.content.decode()


def test_language_toggle_switches_to_english_and_back(client, org_a):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/connexion/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get(reverse("core:login")).content.decode()
    client.post(reverse("set_language"), {"language": "fr-ca", "next": "/connexion/"})
    assert '<html lang="fr-CA">' in client.get(reverse("core:login")).content.decode()
