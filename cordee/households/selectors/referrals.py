"""Reads of referrals. The receiving organisation reads a household only through
`referral_shared_record`, which holds nothing the consent does not cover."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cordee.core.models import Organisation

from ..models import AgeBand, Consent, ConsentPurpose, Household
from ..models_referrals import Referral, ReferralSharing
from .households import consent_withdrawn


def consent_is_current(consent: Consent) -> bool:
    """A referrals consent given, not expired, not withdrawn — and no later withdrawal."""
    today = timezone.localdate()
    return (
        consent.purpose == ConsentPurpose.REFERRALS
        and consent.withdrawn_on is None
        and consent.given_on <= today
        and (consent.expires_on is None or consent.expires_on >= today)
        and not consent_withdrawn(household=consent.household, purpose=ConsentPurpose.REFERRALS)
    )


def referral_consent_current(*, household: Household) -> Consent | None:
    """The consent a new referral would rest on, or None when there is no current one."""
    latest = household.consents.filter(purpose=ConsentPurpose.REFERRALS).first()
    return latest if latest is not None and consent_is_current(latest) else None


def referral_targets(*, org: Organisation) -> QuerySet[Organisation]:
    """The other members of the networks this organisation belongs to."""
    return (
        Organisation.objects.filter(network_memberships__network__memberships__organisation=org)
        .exclude(pk=org.pk)
        .distinct()
        .order_by("name")
    )


def referral_list_sent(*, org: Organisation) -> QuerySet[Referral]:
    return Referral.objects.filter(from_organisation=org).select_related(
        "to_organisation", "household", "handled_by"
    )


def referral_list_received(*, org: Organisation) -> QuerySet[Referral]:
    # No household in select_related: the receiver's pages never touch the sender's record.
    return Referral.objects.filter(to_organisation=org).select_related(
        "from_organisation", "consent"
    )


def referral_list_for_household(*, org: Organisation, household: Household) -> QuerySet[Referral]:
    return referral_list_sent(org=org).filter(household=household)


def referral_get(*, org: Organisation, pk: int) -> Referral:
    """A referral this organisation sent or received; any other looks like it does not exist."""
    return get_object_or_404(
        Referral.objects.select_related(
            "from_organisation", "to_organisation", "consent", "sent_by", "handled_by"
        ),
        Q(from_organisation=org) | Q(to_organisation=org),
        pk=pk,
    )


@dataclass(frozen=True)
class SharedRecord:
    """What the receiving organisation may read. Empty when the consent no longer holds."""

    consent_current: bool
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    people_count: int | None = None
    composition: tuple[tuple[str, int], ...] = ()
    note: str = ""


def referral_shared_record(referral: Referral) -> SharedRecord:
    if not consent_is_current(referral.consent):
        return SharedRecord(consent_current=False)
    household = referral.household
    people_count: int | None = None
    composition: tuple[tuple[str, int], ...] = ()
    if referral.shared in (ReferralSharing.COMPOSITION, ReferralSharing.NOTE):
        people_count = household.people_count
        bands = Counter(household.members.exclude(age_band="").values_list("age_band", flat=True))
        labels = dict(AgeBand.choices)
        composition = tuple((str(labels[band]), n) for band, n in sorted(bands.items()))
    return SharedRecord(
        consent_current=True,
        first_name=household.first_name,
        last_name=household.last_name,
        phone=household.phone,
        people_count=people_count,
        composition=composition,
        note=referral.note if referral.shared == ReferralSharing.NOTE else "",
    )
