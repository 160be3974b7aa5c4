"""Households API: find and register households, their visits, the check-in and its undo.

Same rules as the counter screens (cordee/households/views/checkin.py, households.py):

- every counter role (`COUNTER_ROLES`) finds, registers and checks in the organisation's
  households; another organisation's household looks like it does not exist (404);
- income source, housing and household type (`SENSITIVE_FIELDS`) are sent only to
  `SENSITIVE_ROLES`, and every such read leaves the same audit event as the household's page;
- a visit the rules refuse is recorded only with a reason, by `OVERRIDE_ROLES`;
- a visit can be undone for 5 minutes.

Reads go through the selectors, writes through the services (audit, locks, checks).
The schemas are in households_schemas.py.
"""

from datetime import date, datetime, time, timedelta
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cordee.core.models import Municipality, Organisation, Site, User
from cordee.core.permissions import has_role
from cordee.core.services.audit import audit_record
from cordee.households.models import SENSITIVE_FIELDS, Household, Visit
from cordee.households.permissions import COUNTER_ROLES, SENSITIVE_ROLES
from cordee.households.selectors.eligibility import Eligibility, eligibility_for
from cordee.households.selectors.households import (
    household_get,
    household_search,
    visit_get,
    visit_list,
)
from cordee.households.services.households import household_register
from cordee.households.services.visits import visit_check_in, visit_undo

from .auth import api_user
from .core import MAX_PAGE
from .households_schemas import (
    CheckInOut,
    EligibilityOut,
    HouseholdDetailOut,
    HouseholdIn,
    HouseholdOut,
    SensitiveOut,
    VisitIn,
    VisitOut,
    VisitPageOut,
)
from .logistics import Ref
from .logistics_orders import _add, _errors_of, _my_organisation
from .logistics_orders_schemas import DetailOut, ErrorsOut

router = Router(tags=["households: counter, visits"])

NOT_REGISTERED = "Le ménage n'a pas été inscrit : corrigez les erreurs indiquées."
VISIT_NOT_RECORDED = "La visite n'a pas été enregistrée : corrigez les erreurs indiquées."
NOT_LISTED = "La liste n'a pas été faite : corrigez les erreurs indiquées."
CHOOSE_MUNICIPALITY = "Choisissez une municipalité de la liste."
CHOOSE_MY_SITE = "Choisissez un de vos points de service."
DATES_REVERSED = "La date de fin doit venir après la date de début."
RANGE_TOO_LONG = "Au plus 366 jours à la fois."
FORBIDDEN = "Votre rôle dans cet organisme ne permet pas cette action."
MAX_RANGE_DAYS = 366
# The service's field names → the API's.
FIELDS = {"municipality": "municipality_id", "site": "site_id"}


# --- Helpers -------------------------------------------------------------------------------


def _counter(request: HttpRequest, org_id: int) -> Organisation:
    return _my_organisation(request, org_id, COUNTER_ROLES)


def _eligibility(result: Eligibility) -> EligibilityOut:
    return EligibilityOut(
        eligible=result.eligible,
        message=result.message,
        reasons=list(result.reasons),
        next_possible_on=result.next_possible_on,
    )


def _ref(obj: Municipality | Site | None) -> Ref | None:
    return None if obj is None else Ref(id=obj.pk, name=obj.name)


def _detail(request: HttpRequest, org: Organisation, household: Household) -> HouseholdDetailOut:
    """The household, with the restricted fields only for the roles that see them on screen;
    each such read leaves the same trace as the household's page."""
    user = api_user(request)
    sensitive = None
    if has_role(user, org, SENSITIVE_ROLES):
        audit_record(
            actor=user,
            action="household.sensitive_read",
            organisation=org,
            obj=household,
            changed_fields=SENSITIVE_FIELDS,
            request=request,
        )
        sensitive = SensitiveOut.from_orm(household)
    return HouseholdDetailOut(
        id=household.pk,
        card_number=household.card_number,
        first_name=household.first_name,
        last_name=household.last_name,
        phone=household.phone,
        email=household.email,
        municipality=_ref(household.municipality),
        people_count=household.people_count,
        proof_seen_on=household.proof_seen_on,
        last_visit_at=household.last_visit_at,
        created_at=household.created_at,
        eligibility=_eligibility(eligibility_for(household)),
        sensitive=sensitive,
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _organisation_visits(org: Organisation, date_from: date, date_to: date) -> QuerySet[Visit]:
    """The organisation's visits from `date_from` to `date_to` included (local days)."""
    return Visit.objects.filter(
        organisation=org,
        visited_at__gte=_day_start(date_from),
        visited_at__lt=_day_start(date_to + timedelta(days=1)),
    ).select_related("household", "site")


# --- Households ----------------------------------------------------------------------------


@router.get(
    "/organisations/{org_id}/households",
    response=list[HouseholdOut],
    summary="The organisation's households; q: card number, phone or name (typos tolerated)",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def households(request: HttpRequest, org_id: int, q: str = "") -> QuerySet[Household] | list:
    org = _counter(request, org_id)
    q = q.strip()[:100]
    if q:
        # The counter's own search: at most 10, the closest first.
        return household_search(org=org, q=q)
    return Household.objects.filter(organisation=org).select_related("municipality")


@router.get(
    "/organisations/{org_id}/households/{household_id}",
    response=HouseholdDetailOut,
    summary="One household, its eligibility today and (restricted roles) income and housing",
)
def household(request: HttpRequest, org_id: int, household_id: int) -> HouseholdDetailOut:
    org = _counter(request, org_id)
    return _detail(request, org, household_get(org=org, pk=household_id))


@router.post(
    "/organisations/{org_id}/households",
    response={201: HouseholdDetailOut, 422: ErrorsOut},
    summary="Register a household (the card number is the next free one)",
)
def household_create(
    request: HttpRequest, org_id: int, body: HouseholdIn
) -> Status[HouseholdDetailOut | ErrorsOut]:
    org = _counter(request, org_id)
    municipality = None
    if body.municipality_id is not None:
        municipality = Municipality.objects.filter(pk=body.municipality_id).first()
        if municipality is None:
            errors: dict[str, list[str]] = {}
            _add(errors, "municipality_id", CHOOSE_MUNICIPALITY)
            return Status(422, ErrorsOut(detail=NOT_REGISTERED, errors=errors))
    user: User = api_user(request)
    try:
        created = household_register(
            actor=user,
            organisation=org,
            first_name=body.first_name,
            last_name=body.last_name,
            phone=body.phone,
            email=body.email,
            municipality=municipality,
            people_count=body.people_count,
            household_type=body.household_type,
            income_source=body.income_source,
            housing_type=body.housing_type,
            request=request,
        )
    except ValidationError as exc:
        return Status(422, ErrorsOut(detail=NOT_REGISTERED, errors=_errors_of(exc, FIELDS)))
    return Status(201, _detail(request, org, household_get(org=org, pk=created.pk)))


# --- Visits --------------------------------------------------------------------------------


@router.get(
    "/organisations/{org_id}/households/{household_id}/visits",
    response=list[VisitOut],
    summary="A household's visits, latest first (cancelled ones too, with cancelled_at)",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def household_visits(request: HttpRequest, org_id: int, household_id: int) -> QuerySet[Visit]:
    org = _counter(request, org_id)
    found = household_get(org=org, pk=household_id)
    return visit_list(org=org, household=found, limit=10_000).select_related("household")


@router.get(
    "/organisations/{org_id}/visits",
    response={200: VisitPageOut, 422: ErrorsOut},
    summary="The organisation's visits from date_from to date_to included (defaults: today)",
)
def visits(
    request: HttpRequest,
    org_id: int,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = Query(MAX_PAGE, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0),
) -> Status[VisitPageOut | ErrorsOut]:
    org = _counter(request, org_id)
    today = timezone.localdate()
    # date_to defaults to today, date_from to date_to: no dates → today's visits.
    end = date_to or today
    start = date_from or end
    errors: dict[str, list[str]] = {}
    if end < start:
        _add(errors, "date_to", DATES_REVERSED)
    elif (end - start).days >= MAX_RANGE_DAYS:
        _add(errors, "date_to", RANGE_TOO_LONG)
    if errors:
        return Status(422, ErrorsOut(detail=NOT_LISTED, errors=errors))
    found = _organisation_visits(org, start, end)
    # Visits as they are: the schema reads them (resolvers), like the paginated lists.
    items = cast(list[VisitOut], list(found[offset : offset + limit]))
    return Status(200, VisitPageOut(items=items, count=found.count()))


@router.post(
    "/organisations/{org_id}/households/{household_id}/visits",
    response={200: CheckInOut, 201: CheckInOut, 403: DetailOut, 422: ErrorsOut},
    summary=(
        "Check in: 201 with the visit when eligible (or with an allowed exception), "
        "200 with recorded=false and the reasons otherwise"
    ),
)
def visit_create(
    request: HttpRequest, org_id: int, household_id: int, body: VisitIn
) -> Status[CheckInOut | DetailOut | ErrorsOut]:
    org = _counter(request, org_id)
    found = household_get(org=org, pk=household_id)
    site = None
    if body.site_id is not None:
        site = Site.objects.filter(organisation=org, pk=body.site_id).first()
        if site is None:
            errors: dict[str, list[str]] = {}
            _add(errors, "site_id", CHOOSE_MY_SITE)
            return Status(422, ErrorsOut(detail=VISIT_NOT_RECORDED, errors=errors))
    try:
        result = visit_check_in(
            actor=api_user(request),
            household=found,
            organisation=org,
            visit_type=body.visit_type,
            people_served=body.people_served,
            weight_g=body.weight_g,
            site=site,
            override_reason=body.override_reason,
            request=request,
        )
    except ValidationError as exc:
        return Status(422, ErrorsOut(detail=VISIT_NOT_RECORDED, errors=_errors_of(exc, FIELDS)))
    except PermissionDenied as exc:
        # « Seul un coordonnateur peut faire une exception » rather than the generic refusal.
        return Status(403, DetailOut(detail=str(exc) or FORBIDDEN))
    visit: VisitOut | None = None
    if result.visit is not None:
        visit = cast(VisitOut, visit_get(org=org, pk=result.visit.pk))  # read by the schema
    return Status(
        201 if result.recorded else 200,
        CheckInOut(
            recorded=result.recorded, eligibility=_eligibility(result.eligibility), visit=visit
        ),
    )


@router.post(
    "/organisations/{org_id}/visits/{visit_id}/undo",
    response={200: VisitOut, 409: DetailOut},
    summary="Cancel a visit recorded less than 5 minutes ago",
)
def visit_cancel(request: HttpRequest, org_id: int, visit_id: int) -> Status[VisitOut | DetailOut]:
    org = _counter(request, org_id)
    found = visit_get(org=org, pk=visit_id)
    try:
        visit_undo(actor=api_user(request), visit=found, organisation=org, request=request)
    except ValidationError as exc:
        return Status(409, DetailOut(detail=" ".join(exc.messages)))
    return Status(200, VisitOut.from_orm(visit_get(org=org, pk=visit_id)))
