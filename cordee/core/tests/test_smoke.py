import pytest
from django.urls import reverse

from cordee.core.models import Municipality


@pytest.mark.django_db
def test_municipalities_loaded_by_migration():
    assert Municipality.objects.count() == 21
    assert Municipality.objects.get(name="Mont-Blanc").coords_checked


def test_home_shows_current_organisation(client_a, org_a):
    response = client_a.get(reverse("core:home"))
    assert response.status_code == 200
    assert "Comptoir A" in response.content.decode()


def test_pages_render(client_a, org_a):
    site = org_a.sites.first()
    for url in [
        reverse("core:organisation"),
        reverse("core:organisation_edit"),
        reverse("core:site_detail", args=[site.pk]),
        reverse("core:site_edit", args=[site.pk]),
        reverse("core:site_create"),
        reverse("core:people"),
        reverse("core:invite"),
        reverse("core:audit_log"),
        reverse("core:network", args=[org_a.networks.first().slug]),
    ]:
        assert client_a.get(url).status_code == 200, url
