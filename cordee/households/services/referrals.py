"""Referrals: the sender sends and may cancel; the receiver accepts, declines, completes.

Every change checks the actor's role in the right organisation and leaves an audit event in
both organisations' logs (each side must be able to account for what it did with the data).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Role, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import Consent, ConsentPurpose, Household
from ..models_referrals import Referral, ReferralService, ReferralSharing, ReferralStatus
from ..selectors.referrals import consent_is_current, referral_targets

# Referrals move personal data between organisations: not a volunteer's task.
REFERRAL_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.STAFF, Role.INTERVENANT})
REASON_MAX = 1000
NOTE_MAX = 2000
RESPONSE_MAX = 500

# Which status may follow which, and which side may move it there.
RECEIVER_MOVES = {
    ReferralStatus.ACCEPTED: {ReferralStatus.SENT},
    ReferralStatus.DECLINED: {ReferralStatus.SENT},
    ReferralStatus.COMPLETED: {ReferralStatus.ACCEPTED},
}
SENDER_MOVES = {ReferralStatus.CANCELLED: {ReferralStatus.SENT, ReferralStatus.ACCEPTED}}


def _audit(
    actor: User, action: str, referral: Referral, fields: list[str], request: HttpRequest | None
) -> None:
    for org in (referral.from_organisation, referral.to_organisation):
        audit_record(
            actor=actor,
            action=action,
            organisation=org,
            obj=referral,
            changed_fields=fields,
            request=request,
        )


def referral_send(
    *,
    actor: User,
    organisation: Organisation,
    household: Household,
    to_organisation: Organisation,
    consent: Consent | None,
    service: str,
    reason: str,
    shared: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """Send a household to another member of the network, within the person's consent."""
    require_role(actor, organisation, REFERRAL_ROLES)
    if household.organisation_id != organisation.pk:
        raise PermissionDenied(_("This household is not registered in your organisation."))
    if consent is None or consent.household_id != household.pk or not consent_is_current(consent):
        raise ValidationError(
            _("The person has not given a current consent for referrals. Record it first.")
        )
    if consent.purpose != ConsentPurpose.REFERRALS:
        raise ValidationError(_("This consent is not for referrals."))
    if not referral_targets(org=organisation).filter(pk=to_organisation.pk).exists():
        raise ValidationError(
            {"to_organisation": _("Choose another organisation of your network.")}
        )
    if service not in ReferralService.values:
        raise ValidationError({"service": _("Choose the kind of service.")})
    if shared not in ReferralSharing.values:
        raise ValidationError({"shared": _("Choose what the person agreed to share.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say in a few words why you refer this household.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("This text is too long (1000 characters at most).")})
    note = note.strip()
    if note and shared != ReferralSharing.NOTE:
        raise ValidationError(
            {"note": _("The person did not agree to share a note. Leave the note empty.")}
        )
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("This text is too long (2000 characters at most).")})
    with transaction.atomic():
        referral = Referral.objects.create(
            from_organisation=organisation,
            to_organisation=to_organisation,
            household=household,
            consent=consent,
            service=service,
            reason=reason,
            shared=shared,
            note=note,
            sent_by=actor,
        )
        _audit(
            actor,
            "referral.send",
            referral,
            ["to_organisation", "service", "reason", "shared"] + (["note"] if note else []),
            request,
        )
    return referral


def _receiver_move(
    *,
    actor: User,
    referral: Referral,
    to: ReferralStatus,
    response: str,
    request: HttpRequest | None,
) -> Referral:
    require_role(actor, referral.to_organisation, REFERRAL_ROLES)
    response = response.strip()
    if len(response) > RESPONSE_MAX:
        raise ValidationError({"response": _("This text is too long (500 characters at most).")})
    with transaction.atomic():
        # Lock: two workers of the receiving organisation may answer at the same time.
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status not in RECEIVER_MOVES[to]:
            raise ValidationError(_("This referral can no longer be changed this way."))
        if to != ReferralStatus.DECLINED and not consent_is_current(locked.consent):
            # Withdrawal stops the processing at once: the receiver may only decline.
            raise ValidationError(
                _("The person withdrew the consent for referrals. You can only decline.")
            )
        now = timezone.now()
        locked.status = to
        locked.handled_by = actor
        fields = ["status", "handled_by"]
        if to == ReferralStatus.COMPLETED:
            locked.closed_at = now
            fields.append("closed_at")
        else:
            locked.answered_at = now
            fields.append("answered_at")
            if to == ReferralStatus.DECLINED:
                locked.closed_at = now
                fields.append("closed_at")
        if response:
            locked.response = response
            fields.append("response")
        locked.save(update_fields=[*fields, "updated_at"])
        _audit(actor, f"referral.{to}", locked, fields, request)
    return locked


def referral_accept(
    *, actor: User, referral: Referral, response: str = "", request: HttpRequest | None = None
) -> Referral:
    return _receiver_move(
        actor=actor,
        referral=referral,
        to=ReferralStatus.ACCEPTED,
        response=response,
        request=request,
    )


def referral_decline(
    *, actor: User, referral: Referral, response: str = "", request: HttpRequest | None = None
) -> Referral:
    return _receiver_move(
        actor=actor,
        referral=referral,
        to=ReferralStatus.DECLINED,
        response=response,
        request=request,
    )


def referral_complete(
    *, actor: User, referral: Referral, response: str = "", request: HttpRequest | None = None
) -> Referral:
    return _receiver_move(
        actor=actor,
        referral=referral,
        to=ReferralStatus.COMPLETED,
        response=response,
        request=request,
    )


def referral_cancel(
    *, actor: User, referral: Referral, request: HttpRequest | None = None
) -> Referral:
    """The sender takes the referral back (the person changed their mind, found help...)."""
    require_role(actor, referral.from_organisation, REFERRAL_ROLES)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status not in SENDER_MOVES[ReferralStatus.CANCELLED]:
            raise ValidationError(_("This referral can no longer be cancelled."))
        locked.status = ReferralStatus.CANCELLED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        _audit(actor, "referral.cancel", locked, ["status", "closed_at"], request)
    return locked
