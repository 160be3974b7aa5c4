"""Writes of the duplicate check: the network dial, the households' tokens, merges.

Tokens are kept in step by the services that change what they are computed from (register,
merge) or whether they may exist (duplicate-check consent, the dial): no signals.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cordee.core.models import Network, Organisation, User
from cordee.core.permissions import MANAGER_ROLES, is_network_admin, require_role
from cordee.core.services.audit import audit_record

from ..matching.normalise import record_normalise
from ..matching.privacy import fingerprint
from ..models import Household
from ..models_matching import HouseholdMatchToken, MatchingDial, NetworkHouseholdPolicy
from ..models_search import HouseholdSearchWord
from ..selectors.matching import duplicate_check_consented, person_record

# Suggested merges are for coordinators: a merge cannot be undone.
MERGE_ROLES = MANAGER_ROLES


def network_policy_get(*, network: Network) -> NetworkHouseholdPolicy:
    """The network's policy, created (walls up, new secret) the first time it is needed."""
    policy, _created = NetworkHouseholdPolicy.objects.get_or_create(network=network)
    return policy


def _tokens_for(household: Household, policy: NetworkHouseholdPolicy) -> list[HouseholdMatchToken]:
    print_ = fingerprint(
        record_normalise(person_record(household)), secret=policy.secret_bytes, with_place=True
    )
    return [
        HouseholdMatchToken(
            household=household,
            network=policy.network,
            token=token,
            kind=token.split(":", 1)[0],
            exact=token in print_.exact,
        )
        for token in sorted(print_.tolerant | print_.exact)
    ]


def household_tokens_refresh(*, household: Household) -> int:
    """Recompute the household's tokens for each of its organisation's networks whose dial is
    not "walls up" — or delete them all when its duplicate-check consent is not current.
    Returns how many tokens it now has."""
    with transaction.atomic():
        HouseholdMatchToken.objects.filter(household=household).delete()
        if not duplicate_check_consented(household):
            return 0
        rows: list[HouseholdMatchToken] = []
        policies = NetworkHouseholdPolicy.objects.filter(
            network__memberships__organisation=household.organisation
        ).exclude(dial=MatchingDial.WALLS_UP)
        for policy in policies.select_related("network").distinct():
            rows += _tokens_for(household, policy)
        HouseholdMatchToken.objects.bulk_create(rows, ignore_conflicts=True)
        return len(rows)


def _network_tokens_rebuild(policy: NetworkHouseholdPolicy) -> None:
    HouseholdMatchToken.objects.filter(network=policy.network).delete()
    if policy.dial == MatchingDial.WALLS_UP:
        return
    households = Household.objects.filter(
        organisation__network_memberships__network=policy.network
    ).select_related("municipality")
    rows: list[HouseholdMatchToken] = []
    for household in households.distinct().iterator(chunk_size=500):
        if duplicate_check_consented(household):
            rows += _tokens_for(household, policy)
    HouseholdMatchToken.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def network_policy_set(
    *, actor: User, network: Network, dial: str, request: HttpRequest | None = None
) -> NetworkHouseholdPolicy:
    """Turn the dial. "Walls up" deletes every token of the network at once."""
    if not is_network_admin(actor, network):
        raise PermissionDenied(_("Only the network's administrators can change this setting."))
    if dial not in MatchingDial.values:
        raise ValidationError({"dial": _("Choose one of the answers in the list.")})
    with transaction.atomic():
        policy = network_policy_get(network=network)
        policy = NetworkHouseholdPolicy.objects.select_for_update().get(pk=policy.pk)
        policy.dial = dial
        policy.save(update_fields=["dial", "updated_at"])
        _network_tokens_rebuild(policy)
        audit_record(
            actor=actor,
            action="network.household_policy",
            network=network,
            obj=policy,
            changed_fields=["dial"],
            request=request,
        )
    return policy


def household_merge(
    *,
    actor: User,
    organisation: Organisation,
    keep: Household,
    remove: Household,
    request: HttpRequest | None = None,
) -> Household:
    """Move everything of ``remove`` (visits, consents, members, and any other record that
    points to it) to ``keep``, fill ``keep``'s empty fields, then delete ``remove``."""
    require_role(actor, organisation, MERGE_ROLES)
    if keep.organisation_id != organisation.pk or remove.organisation_id != organisation.pk:
        raise PermissionDenied(_("These households are not in your organisation."))
    if keep.pk == remove.pk:
        raise ValidationError(_("Choose two different households."))
    with transaction.atomic():
        keep = Household.objects.select_for_update().get(pk=keep.pk)
        remove = Household.objects.select_for_update().get(pk=remove.pk)
        moved: list[str] = []
        # Every many-to-one relation, not only the ones known today (referrals, notes...):
        # a merge must never delete another module's records through the cascade.
        for relation in Household._meta.related_objects:
            # Tokens and search words are derived from the household itself: recomputed
            # (keep) or deleted with it (remove), never moved.
            if not relation.one_to_many or relation.related_model in (
                HouseholdMatchToken,
                HouseholdSearchWord,
            ):
                continue
            manager = relation.related_model._default_manager  # type: ignore[union-attr]
            count = manager.filter(**{relation.field.name: remove}).update(
                **{relation.field.name: keep}
            )
            if count:
                moved.append(relation.get_accessor_name() or relation.name)
        filled = [
            name for name in ("phone", "email") if not getattr(keep, name) and getattr(remove, name)
        ]
        for name in filled:
            setattr(keep, name, getattr(remove, name))
        if keep.municipality_id is None and remove.municipality_id is not None:
            keep.municipality_id = remove.municipality_id
            filled.append("municipality")
        if "phone" in filled:
            keep.phone_digits = remove.phone_digits
        keep.people_count = max(keep.people_count, remove.people_count)
        last = keep.visits.aggregate(last=Max("visited_at"))["last"]
        keep.last_visit_at = last
        keep.save()
        removed_pk = remove.pk
        remove.delete()
        household_tokens_refresh(household=keep)
        audit_record(
            actor=actor,
            action="household.merge",
            organisation=organisation,
            obj=keep,
            # Field names only (Law 25); the removed household's id is not personal data.
            changed_fields=[f"merged_household_id:{removed_pk}", *moved, *filled],
            request=request,
        )
    return keep
