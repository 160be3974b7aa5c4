from django.urls import path

from .views import account, audit, auth, home, members, network, organisation, tokens, two_factor

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    # Sign-in, two-factor step, sign-out, password reset
    path("connexion/", auth.login_view, name="login"),
    path("connexion/code/", two_factor.verify, name="login_code"),
    path("deconnexion/", auth.logout_view, name="logout"),
    path("mot-de-passe/oublie/", auth.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        auth.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Current organisation
    path("changer-organisme/", home.switch_organisation, name="switch_organisation"),
    path("organisme/", organisation.profile, name="organisation"),
    path("organisme/modifier/", organisation.edit, name="organisation_edit"),
    path("organisme/sites/nouveau/", organisation.site_create_view, name="site_create"),
    path("organisme/sites/<int:pk>/", organisation.site_detail, name="site_detail"),
    path("organisme/sites/<int:pk>/modifier/", organisation.site_edit, name="site_edit"),
    path("organisme/personnes/", members.people, name="people"),
    path("organisme/personnes/<int:user_id>/", members.person_roles, name="person_roles"),
    path("organisme/invitations/nouvelle/", members.invite, name="invite"),
    path(
        "organisme/invitations/<int:pk>/annuler/",
        members.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitation/<str:token>/", members.invitation_accept_view, name="invitation_accept"),
    path("organisme/journal/", audit.audit_log, name="audit_log"),
    # Networks
    path("reseaux/<slug:slug>/", network.network_detail, name="network"),
    # Account
    path("compte/", account.account, name="account"),
    path("compte/langue/", account.language, name="account_language"),
    path("compte/mot-de-passe/", account.password_change, name="password_change"),
    path("compte/double-authentification/", two_factor.setup, name="two_factor"),
    path(
        "compte/double-authentification/retirer/",
        two_factor.remove,
        name="two_factor_remove",
    ),
    path("compte/jetons/", tokens.token_create_view, name="token_create"),
    path("compte/jetons/<int:pk>/revoquer/", tokens.token_revoke_view, name="token_revoke"),
]
