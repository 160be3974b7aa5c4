"""All the delivery notes of a day in one PDF, for the driver: one note a page (at least),
every member's note in it, and only the hub of that day gets it."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from cordee.logistics.models import Delivery

# The delivery-screen fixtures: a hub, two members, a day allocated then dispatched.
from .test_views_deliveries import allocated_day, dispatched, hub, member_b  # noqa: F401

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes, tmp_path) -> int:
    if shutil.which("pdfinfo"):
        path = tmp_path / "day.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True
        ).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_day_page_links_to_all_the_notes(client, hub, dispatched):  # noqa: F811
    client.force_login(hub["user"])
    page = client.get(reverse("logistics:delivery_day_detail", args=[dispatched.pk]))
    url = reverse("logistics:delivery_day_notes_pdf", args=[dispatched.pk])
    assert f'href="{url}"' in page.text
    assert "Imprimer tous les bons (PDF)" in page.text


def test_one_pdf_with_every_note_of_the_day(client, hub, dispatched, tmp_path):  # noqa: F811
    deliveries = list(Delivery.objects.filter(delivery_day=dispatched))
    assert len(deliveries) == 2
    client.force_login(hub["user"])
    response = client.get(reverse("logistics:delivery_day_notes_pdf", args=[dispatched.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert _pages(response.content, tmp_path) >= len(deliveries)
    if shutil.which("pdftotext"):
        path = tmp_path / "bons.pdf"
        path.write_bytes(response.content)
        pages = []
        for number in range(1, _pages(response.content, tmp_path) + 1):
            pages.append(
                subprocess.run(
                    ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
        # Each member's note starts on a page of its own (the page break between them).
        for delivery in deliveries:
            starts = [p for p in pages if delivery.organisation.name in p]
            assert starts, delivery.organisation.name
        assert not any("Comptoir A" in p and "Cuisine collective C" in p for p in pages), (
            "two notes on one page"
        )


def test_member_or_other_network_gets_404(client, client_b, member_b, dispatched):  # noqa: F811
    url = reverse("logistics:delivery_day_notes_pdf", args=[dispatched.pk])
    assert client_b.get(url).status_code == 404
    client.force_login(member_b["user"])
    assert client.get(url).status_code == 404
