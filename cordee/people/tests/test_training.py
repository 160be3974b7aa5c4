"""Training: paths by comfort and role, completion, sessions' seats, tips, needs reports,
tenancy of every new view, and the printable month calendar."""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import NetworkRole, Role
from cordee.core.tests.factories import MembershipFactory, UserFactory
from cordee.people.models import Certification, Shift, TrainingModule, TrainingSession
from cordee.people.models_training import Comfort, TrainingPreference, TrainingProgress
from cordee.people.selectors_training import (
    Person,
    build_path,
    modules_for_org,
    needs_report,
    network_needs_report,
    person_path,
)
from cordee.people.services.training import (
    training_comfort_set,
    training_library_seed,
    training_module_complete,
    training_session_create,
    training_session_signup,
)
from cordee.people.tests.conftest import make_shift, make_volunteer
from cordee.people.training_text import render_guide

pytestmark = pytest.mark.django_db


def _member(org, role, email):
    user = UserFactory(email=email)
    MembershipFactory(user=user, organisation=org, role=role)
    return user


def _keys(steps) -> list[str]:
    return [s.module.key for s in steps]


def _session(org, admin, *, seats=2, key="accueil-menage") -> TrainingSession:
    module = TrainingModule.objects.get(key=key, organisation=None, network=None)
    return training_session_create(
        actor=admin,
        organisation=org,
        module=module,
        starts_at=timezone.now() + timedelta(days=3),
        place="Salle communautaire",
        seats=seats,
    )


# --- Library and paths --------------------------------------------------------------------


def test_library_is_seeded_in_french_and_idempotent(org_a):
    titles = set(modules_for_org(org=org_a).values_list("title", flat=True))
    assert "Utiliser la tablette à l'accueil" in titles
    assert "Protéger les renseignements personnels (Loi 25)" in titles
    assert len(titles) >= 8
    assert training_library_seed() == 0  # already there: nothing duplicated


def test_path_is_shorter_and_in_person_first_for_not_at_all(org_a, volunteer_a):
    me = Person(user=volunteer_a)
    training_comfort_set(actor=volunteer_a, organisation=org_a, person=me, comfort=Comfort.YES)
    confident = person_path(org=org_a, person=me)
    training_comfort_set(actor=volunteer_a, organisation=org_a, person=me, comfort=Comfort.NONE)
    beginner = person_path(org=org_a, person=me)

    assert len(beginner) < len(confident)
    assert "tablette-premiers-pas" in _keys(beginner)
    assert "tablette-premiers-pas" not in _keys(confident)
    assert "tablette-accueil" in _keys(confident)
    assert "tablette-accueil" not in _keys(beginner)
    formats = [s.module.format for s in beginner]
    # Every in-person module comes before any screen module.
    assert formats == sorted(formats, key=lambda f: f != TrainingModule.Format.IN_PERSON)
    assert formats[0] == TrainingModule.Format.IN_PERSON


def test_path_depends_on_role_and_on_the_volunteers_shifts(org_a, volunteer_a, admin_a):
    driver = _member(org_a, Role.DRIVER, "chauffeur@example.org")
    assert "camion-refrigere" in _keys(person_path(org=org_a, person=Person(user=driver)))
    assert "camion-refrigere" not in _keys(person_path(org=org_a, person=Person(user=volunteer_a)))
    assert "inventaire" in _keys(person_path(org=org_a, person=Person(user=admin_a)))
    assert "inventaire" not in _keys(person_path(org=org_a, person=Person(user=volunteer_a)))

    # A volunteer without login, who holds a driver's licence: the truck module appears.
    paul = make_volunteer(org_a, "Paul Sansécran")
    assert "camion-refrigere" not in _keys(person_path(org=org_a, person=Person(volunteer=paul)))
    Certification.objects.create(volunteer=paul, kind=Certification.Kind.DRIVER)
    assert "camion-refrigere" in _keys(person_path(org=org_a, person=Person(volunteer=paul)))


def test_build_path_respects_audience_and_comfort():
    a = TrainingModule(title="A", audience=["driver"], format="guide", comfort_levels=[], order=1)
    b = TrainingModule(title="B", audience=[], format="guide", comfort_levels=["yes"], order=2)
    c = TrainingModule(title="C", audience=[], format="in_person", comfort_levels=[], order=3)
    assert build_path([a, b, c], {"volunteer"}, "yes") == [b, c]
    assert build_path([a, b, c], {"driver"}, "none") == [c, a]


# --- Completion ------------------------------------------------------------------------


def test_completion_is_tracked_once_with_its_date(org_a, volunteer_a, client):
    client.force_login(volunteer_a)
    module = TrainingModule.objects.get(key="chaine-froid")
    url = reverse("people:training_complete", args=[module.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    progress = TrainingProgress.objects.get(user=volunteer_a, module=module)
    assert progress.completed_on == timezone.localdate()
    page = client.get(reverse("people:training")).content.decode()
    assert "Chaîne du froid" in page
    steps = person_path(org=org_a, person=Person(user=volunteer_a))
    assert [s.done for s in steps if s.module == module] == [True]


def test_coordinator_marks_a_volunteer_without_login(org_a, admin_a, volunteer_a):
    paul = make_volunteer(org_a, "Paul Sansécran")
    module = TrainingModule.objects.get(key="chaine-froid")
    training_module_complete(
        actor=admin_a, organisation=org_a, person=Person(volunteer=paul), module=module
    )
    assert TrainingProgress.objects.filter(volunteer=paul, completed_on__isnull=False).exists()
    with pytest.raises(PermissionDenied):  # a plain volunteer cannot do it for someone else
        training_module_complete(
            actor=volunteer_a, organisation=org_a, person=Person(volunteer=paul), module=module
        )


def test_guide_page_is_escaped_and_formatted():
    html = render_guide("## Titre\n- un **gras**\n\n<script>alert(1)</script>")
    assert "<h2>Titre</h2>" in html
    assert "<li>un <strong>gras</strong></li>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_comfort_form_and_french_page(org_a, volunteer_a, client):
    client.force_login(volunteer_a)
    page = client.get(reverse("people:training")).content.decode()
    assert "Ma formation" in page and "Pas du tout" in page
    client.post(reverse("people:training_comfort"), {"comfort": "none"})
    assert TrainingPreference.objects.get(user=volunteer_a).comfort == "none"
    client.post(reverse("people:training_comfort"), {"comfort": "bogus"})
    assert TrainingPreference.objects.get(user=volunteer_a).comfort == "none"
    page = client.get(reverse("people:training")).content.decode()
    assert "Premiers pas avec la tablette" in page


# --- Sessions ----------------------------------------------------------------------------


def test_session_seats_are_never_exceeded(org_a, admin_a):
    session = _session(org_a, admin_a, seats=2)
    people = [_member(org_a, Role.VOLUNTEER, f"b{i}@example.org") for i in range(3)]
    for user in people[:2]:
        training_session_signup(actor=user, session=session, person=Person(user=user))
    with pytest.raises(ValidationError):
        training_session_signup(actor=people[2], session=session, person=Person(user=people[2]))
    # Signing up twice does not take a second seat.
    training_session_signup(actor=people[0], session=session, person=Person(user=people[0]))
    assert session.signups.count() == 2


def test_session_signup_and_cancel_through_the_page(org_a, admin_a, volunteer_a, client):
    session = _session(org_a, admin_a, seats=1)
    client.force_login(volunteer_a)
    page = client.get(reverse("people:training")).content.decode()
    assert "Salle communautaire" in page
    client.post(reverse("people:training_session_signup", args=[session.pk]))
    assert session.signups.filter(user=volunteer_a).exists()
    other = _member(org_a, Role.VOLUNTEER, "tard@example.org")
    client.force_login(other)
    response = client.post(
        reverse("people:training_session_signup", args=[session.pk]), follow=True
    )
    assert "complète" in response.content.decode()
    assert session.signups.count() == 1
    client.force_login(volunteer_a)
    client.post(reverse("people:training_session_cancel", args=[session.pk]))
    assert session.signups.count() == 0


def test_coordinator_plans_a_session(org_a, admin_a, client_a):
    module = TrainingModule.objects.get(key="accueil-menage")
    when = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT10:00")
    data = {"module": module.pk, "starts_at": when, "place": "Sous-sol", "seats": 6}
    response = client_a.post(reverse("people:training_sessions"), data)
    assert response.status_code == 302
    assert TrainingSession.objects.get(organisation=org_a).seats == 6
    bad = client_a.post(reverse("people:training_sessions"), {**data, "seats": 0})
    assert bad.status_code == 200 and TrainingSession.objects.count() == 1


# --- Tips ------------------------------------------------------------------------------


def test_tips_can_be_hidden_and_turned_off_and_stay_off(org_a, admin_a, client_a):
    my_shifts = reverse("people:my_shifts")
    stock = reverse("logistics:overview")
    assert "training-tip" in client_a.get(my_shifts).content.decode()
    assert "training-tip" in client_a.get(stock).content.decode()

    client_a.post(
        reverse("people:training_tip"), {"action": "dismiss", "tip": "my_shifts", "next": my_shifts}
    )
    assert "training-tip" not in client_a.get(my_shifts).content.decode()
    assert "training-tip" in client_a.get(stock).content.decode()

    response = client_a.post(
        reverse("people:training_tip"), {"action": "off", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"  # never redirected to another site
    client_a.logout()
    client_a.force_login(admin_a)  # a new session: the setting is stored, not in the session
    assert "training-tip" not in client_a.get(stock).content.decode()
    assert "training-tip" not in client_a.get(reverse("households:checkin")).content.decode()

    client_a.post(reverse("people:training_tip"), {"action": "on", "next": stock})
    assert "training-tip" in client_a.get(my_shifts).content.decode()


def test_checkin_page_shows_its_tip(org_a, admin_a, client_a):
    page = client_a.get(reverse("households:checkin")).content.decode()
    assert "training-tip" in page and "Astuce" in page


# --- Needs reports -----------------------------------------------------------------------


def test_needs_report_counts_people_by_comfort(org_a, admin_a, volunteer_a, org_b, admin_b):
    beginner = _member(org_a, Role.VOLUNTEER, "debutant@example.org")
    training_comfort_set(
        actor=beginner, organisation=org_a, person=Person(user=beginner), comfort=Comfort.NONE
    )
    training_comfort_set(
        actor=volunteer_a, organisation=org_a, person=Person(user=volunteer_a), comfort=Comfort.YES
    )
    paul = make_volunteer(org_a, "Paul Sansécran")  # no login, no answer yet
    cold = TrainingModule.objects.get(key="chaine-froid")

    rows = {r.module.key: r for r in needs_report(org=org_a)}
    # admin (not answered), volunteer (yes), beginner (none), Paul (not answered).
    assert rows["chaine-froid"].by_comfort == {"none": 1, "some": 0, "yes": 1, "unknown": 2}
    assert rows["tablette-premiers-pas"].by_comfort["none"] == 1
    assert rows["tablette-premiers-pas"].total == 1

    training_module_complete(
        actor=volunteer_a, organisation=org_a, person=Person(user=volunteer_a), module=cold
    )
    training_module_complete(
        actor=admin_a, organisation=org_a, person=Person(volunteer=paul), module=cold
    )
    rows = {r.module.key: r for r in needs_report(org=org_a)}
    assert rows["chaine-froid"].by_comfort == {"none": 1, "some": 0, "yes": 0, "unknown": 1}
    # org_b has only its admin.
    assert {r.module.key: r for r in needs_report(org=org_b)}["chaine-froid"].total == 1


def test_network_report_adds_the_members(org_a, admin_a, client):
    from cordee.core.tests.factories import NetworkMembershipFactory, OrganisationFactory

    network = org_a.networks.get()
    other = OrganisationFactory(name="Comptoir C")
    NetworkMembershipFactory(network=network, organisation=other)
    _member(other, Role.VOLUNTEER, "c@example.org")
    _member(other, Role.VOLUNTEER, "d@example.org")
    rows = {r.module.key: r for r in network_needs_report(network=network)}
    assert rows["chaine-froid"].total == 3

    NetworkRole.objects.create(user=admin_a, network=network)
    client.force_login(admin_a)
    page = client.get(reverse("people:training_network_needs", args=[network.pk]))
    assert page.status_code == 200 and "Chaîne du froid" in page.content.decode()
    assert "Réseau A" in client.get(reverse("people:training_needs")).content.decode()


# --- Tenancy -----------------------------------------------------------------------------


def test_other_organisation_gets_404(org_a, admin_a, org_b, admin_b, client):
    own = TrainingModule.objects.create(
        organisation=org_a, title="Procédure maison A", format="guide", body="Secret"
    )
    session = _session(org_a, admin_a)
    shift = make_shift(org_a)
    client.force_login(admin_b)
    assert client.get(reverse("people:training_module", args=[own.pk])).status_code == 404
    assert client.post(reverse("people:training_complete", args=[own.pk])).status_code == 404
    for name in ("training_session_signup", "training_session_cancel"):
        assert client.post(reverse(f"people:{name}", args=[session.pk])).status_code == 404
    network_a = org_a.networks.get()
    url = reverse("people:training_network_needs", args=[network_a.pk])
    assert client.get(url).status_code == 404
    # Lists of org_b never show org_a's things.
    for name in ("training", "training_sessions", "training_needs", "month"):
        page = client.get(reverse(f"people:{name}")).content.decode()
        assert "Procédure maison A" not in page and "Salle communautaire" not in page
        assert shift.title not in page or name != "month"
    assert session.signups.count() == 0
    assert not TrainingProgress.objects.filter(module=own).exists()


def test_coordinator_pages_refuse_plain_volunteers(org_a, volunteer_a, client):
    client.force_login(volunteer_a)
    for name in ("training_sessions", "training_needs", "month"):
        assert client.get(reverse(f"people:{name}")).status_code == 403


# --- Month calendar ----------------------------------------------------------------------


def test_month_calendar_renders_with_print_css(org_a, admin_a, client_a):
    day = timezone.localdate().replace(day=15)
    Shift.objects.create(
        organisation=org_a,
        site=org_a.sites.first(),
        title="Tri des dons du mois",
        date=day,
        starts_at=time(13),
        ends_at=time(16),
        needed=3,
    )
    response = client_a.get(reverse("people:month"), {"mois": day.strftime("%Y-%m")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tri des dons du mois" in page and "(0/3)" in page
    assert "training.css" in page and 'class="month"' in page
    assert page.count('class="month-day') % 7 == 0
    previous = client_a.get(reverse("people:month"), {"mois": "2020-01"}).content.decode()
    assert "Tri des dons du mois" not in previous
    assert client_a.get(reverse("people:month"), {"mois": "n'importe"}).status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="Row locks need PostgreSQL (set DATABASE_URL); SQLite serialises all writes.",
)
def test_last_seat_race_never_overbooks(org_a, admin_a):
    """Five people tap « M'inscrire » at the same moment for 2 seats: exactly 2 get in."""
    training_library_seed()  # a transactional test starts with empty tables
    session = _session(org_a, admin_a, seats=2)
    people = [_member(org_a, Role.VOLUNTEER, f"course{i}@example.org") for i in range(5)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def take(user) -> None:
        try:
            barrier.wait()
            training_session_signup(actor=user, session=session, person=Person(user=user))
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full", "full", "full", "ok", "ok"]
    assert session.signups.count() == 2
