"""Core API: the caller, their organisations and sites, people (for managers), networks.

Every read goes through cordee.core.selectors, scoped to the caller: another
organisation's object answers 404 and never appears in a list or a count.
"""

from datetime import date, time

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from cordee.core.models import Membership, Network, NetworkMembership, Organisation, Site, User
from cordee.core.permissions import MANAGER_ROLES, has_role
from cordee.core.selectors.organisations import (
    member_list,
    network_get_for_user,
    network_list_for_user,
    network_member_list,
    organisation_get_for_user,
    organisation_list_for_user,
    site_get,
    site_list,
)

from .auth import api_user

router = Router(tags=["core"])

MAX_PAGE = 100
MANAGERS_ONLY = "Réservé aux administrateurs et coordonnateurs de l'organisme."


# --- Schemas -------------------------------------------------------------------------------


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str


class MunicipalityOut(Schema):
    id: int
    name: str


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    roles: list[str]  # the caller's roles in this organisation

    @staticmethod
    def resolve_roles(obj: Organisation) -> list[str]:
        return sorted(m.role for m in getattr(obj, "my_memberships", []))


class OrganisationDetailOut(OrganisationOut):
    legal_name: str
    enterprise_number: str
    charity_number: str
    description: str
    contact_name: str
    contact_email: str
    contact_phone: str
    website: str
    address: str
    municipality: MunicipalityOut | None


class OpeningHoursOut(Schema):
    weekday: int  # 0 = Monday … 6 = Sunday
    opens_at: time
    closes_at: time


class CoordinatesOut(Schema):
    latitude: float
    longitude: float
    approximate: bool  # True when taken from the municipality's centre


class SiteOut(Schema):
    id: int
    organisation_id: int
    name: str
    kind: str
    address: str
    postal_code: str
    phone: str
    municipality: MunicipalityOut | None
    latitude: float | None
    longitude: float | None
    coordinates: CoordinatesOut | None
    fridge_capacity_g: int
    freezer_capacity_g: int
    dry_capacity_g: int
    is_active: bool
    opening_hours: list[OpeningHoursOut]

    @staticmethod
    def resolve_coordinates(obj: Site) -> CoordinatesOut | None:
        coords = obj.coordinates
        if coords is None:
            return None
        return CoordinatesOut(
            latitude=coords[0], longitude=coords[1], approximate=obj.latitude is None
        )

    @staticmethod
    def resolve_opening_hours(obj: Site) -> list[OpeningHoursOut]:
        return [
            OpeningHoursOut(weekday=h.weekday, opens_at=h.opens_at, closes_at=h.closes_at)
            for h in obj.opening_hours.all()
        ]


class MemberOut(Schema):
    id: int
    full_name: str
    email: str
    roles: list[str]


class NetworkOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    coordinating_organisation_id: int | None


class NetworkMemberOut(Schema):
    """Organisation-level information only: never people."""

    id: int
    name: str
    kind: str
    services: str
    joined_on: date | None

    @staticmethod
    def resolve_id(obj: NetworkMembership) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_name(obj: NetworkMembership) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_kind(obj: NetworkMembership) -> str:
        return obj.organisation.kind


# --- Helpers -------------------------------------------------------------------------------


def _with_my_roles(qs: QuerySet[Organisation], user: User) -> QuerySet[Organisation]:
    return qs.select_related("municipality").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(user=user).order_by("role"),
            to_attr="my_memberships",
        )
    )


def _my_organisation(request: HttpRequest, org_id: int) -> Organisation:
    return organisation_get_for_user(user=api_user(request), pk=org_id)


# --- Operations ----------------------------------------------------------------------------


@router.get("/me", response=MeOut, summary="The caller")
def me(request: HttpRequest) -> MeOut:
    user = api_user(request)
    return MeOut(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        language=user.preferred_language,
    )


@router.get(
    "/organisations", response=list[OrganisationOut], summary="My organisations, with my roles"
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def organisations(request: HttpRequest) -> QuerySet[Organisation]:
    user = api_user(request)
    return _with_my_roles(organisation_list_for_user(user=user), user)


@router.get("/organisations/{org_id}", response=OrganisationDetailOut, summary="One organisation")
def organisation(request: HttpRequest, org_id: int) -> Organisation:
    user = api_user(request)
    return _with_my_roles(organisation_list_for_user(user=user), user).get(
        pk=organisation_get_for_user(user=user, pk=org_id).pk
    )


@router.get("/organisations/{org_id}/sites", response=list[SiteOut], summary="Sites")
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def sites(request: HttpRequest, org_id: int) -> QuerySet[Site]:
    return site_list(org=_my_organisation(request, org_id))


@router.get("/organisations/{org_id}/sites/{site_id}", response=SiteOut, summary="One site")
def site(request: HttpRequest, org_id: int, site_id: int) -> Site:
    return site_get(org=_my_organisation(request, org_id), pk=site_id)


@router.get(
    "/organisations/{org_id}/members",
    response=list[MemberOut],
    summary="People and roles (administrators and coordinators only)",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def members(request: HttpRequest, org_id: int) -> list[MemberOut]:
    user = api_user(request)
    org = _my_organisation(request, org_id)
    if not has_role(user, org, MANAGER_ROLES):
        raise HttpError(403, MANAGERS_ONLY)
    return [
        MemberOut(
            id=entry["user"].pk,
            full_name=entry["user"].full_name,
            email=entry["user"].email,
            roles=sorted(entry["roles"]),
        )
        for entry in member_list(org=org)
    ]


@router.get("/networks", response=list[NetworkOut], summary="Networks of my organisations")
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def networks(request: HttpRequest) -> QuerySet[Network]:
    return network_list_for_user(user=api_user(request))


@router.get(
    "/networks/{slug}/members",
    response=list[NetworkMemberOut],
    summary="Member organisations of a network",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def network_members(request: HttpRequest, slug: str) -> QuerySet[NetworkMembership]:
    network = network_get_for_user(user=api_user(request), slug=slug)
    return network_member_list(network=network)
