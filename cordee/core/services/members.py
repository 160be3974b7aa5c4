"""Writes to people and roles of an organisation, and invitations to join it."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..hashing import hash_token
from ..models import Invitation, Membership, Organisation, Role, User
from ..permissions import ADMIN_ROLES, require_role
from .audit import audit_record


def membership_set_roles(
    *,
    actor: User,
    organisation: Organisation,
    user: User,
    roles: set[str],
    request: HttpRequest | None = None,
) -> None:
    """Replace a person's roles in the organisation. An empty set removes the person."""
    require_role(actor, organisation, ADMIN_ROLES)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError(_("Unknown role."))
    with transaction.atomic():
        current = set(
            Membership.objects.select_for_update()
            .filter(organisation=organisation, user=user)
            .values_list("role", flat=True)
        )
        if not current:
            # Only existing members get roles here; newcomers join through an invitation.
            raise ValidationError(_("This person is not a member of the organisation."))
        if current == roles:
            return
        losing_admin = Role.ORG_ADMIN in current and Role.ORG_ADMIN not in roles
        if losing_admin and _admin_count(organisation) <= 1:
            raise ValidationError(_("The organisation must keep at least one administrator."))
        Membership.objects.filter(organisation=organisation, user=user).exclude(
            role__in=roles
        ).delete()
        Membership.objects.bulk_create(
            Membership(organisation=organisation, user=user, role=r) for r in roles - current
        )
        audit_record(
            actor=actor,
            action="membership.remove" if not roles else "membership.roles",
            organisation=organisation,
            obj=user,
            changed_fields=["roles"],
            request=request,
        )
    user.__dict__.pop("_cordee_roles", None)


def _admin_count(organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Role.ORG_ADMIN).count()


def invitation_create(
    *,
    actor: User,
    organisation: Organisation,
    email: str,
    role: str,
    request: HttpRequest | None = None,
) -> Invitation:
    """Invite someone by e-mail; the link holds a secret that is stored only as a hash."""
    require_role(actor, organisation, ADMIN_ROLES)
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if Membership.objects.filter(organisation=organisation, user__email=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token_hash=hash_token(raw),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.CORDEE_INVITATION_DAYS),
        )
        audit_record(
            actor=actor,
            action="invitation.create",
            organisation=organisation,
            obj=invitation,
            changed_fields=["email", "role"],
            request=request,
        )
        link = _absolute(request, reverse("core:invitation_accept", args=[raw]))
        transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation


def _absolute(request: HttpRequest | None, path: str) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.CORDEE_BASE_URL.rstrip("/") + path


def _send_invitation(invitation: Invitation, link: str) -> None:
    # The invitee has no account yet, so the e-mail goes out in the network's language.
    with translation.override(settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "link": link, "days": settings.CORDEE_INVITATION_DAYS}
        send_mail(
            subject=_("Invitation to join %(org)s on Cordée") % {"org": invitation.organisation},
            message=render_to_string("core/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )


def invitation_find(*, raw_token: str) -> Invitation | None:
    """The pending invitation for this link, or None (unknown, expired, used or revoked)."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )
    return invitation if invitation is not None and invitation.is_pending else None


def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
    request: HttpRequest | None = None,
) -> User:
    """Join the organisation: an existing signed-in user, or a new account for the invitee."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise ValidationError(_("This invitation is no longer valid."))
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(
                    _(
                        "An account already exists for this e-mail: "
                        "sign in first, then open the link again."
                    )
                )
            user = User.objects.create_user(invitation.email, password, full_name=full_name)
        elif user.email.lower() != invitation.email:
            raise ValidationError(
                _(
                    "This invitation was sent to another e-mail address. "
                    "Sign out, then open the link again."
                )
            )
        Membership.objects.get_or_create(
            organisation=invitation.organisation, user=user, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(
            actor=user,
            action="invitation.accept",
            organisation=invitation.organisation,
            obj=invitation,
            changed_fields=["accepted_at"],
            request=request,
        )
    return user


def invitation_revoke(
    *, actor: User, invitation: Invitation, request: HttpRequest | None = None
) -> None:
    require_role(actor, invitation.organisation, ADMIN_ROLES)
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="invitation.revoke",
            organisation=invitation.organisation,
            obj=invitation,
            changed_fields=["revoked_at"],
            request=request,
        )
