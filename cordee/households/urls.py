from django.urls import path

from .views import checkin, households, matching, notes, privacy, referrals, rules
from .views import imports as household_imports

app_name = "households"

urlpatterns = [
    path("", checkin.checkin, name="checkin"),
    path("nouveau/", checkin.household_new, name="new"),
    path("regles/", rules.rules_edit, name="rules"),
    path("<int:pk>/", households.household_detail, name="detail"),
    path("<int:pk>/visite/", checkin.visit_record, name="visit_record"),
    path("<int:pk>/carte/", households.household_card, name="card"),
    path("<int:pk>/preuves-vues/", households.proof_seen, name="proof_seen"),
    path("<int:pk>/modifier/", households.household_edit, name="edit"),
    path("<int:pk>/consentements/", households.consent_add, name="consent_add"),
    path(
        "<int:pk>/consentements/<int:consent_pk>/retrait/",
        households.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("visites/<int:pk>/annuler/", checkin.visit_cancel, name="visit_cancel"),
    path("doublons/", matching.merge_list, name="merges"),
    path("doublons/fusionner/", matching.merge, name="merge"),
    path("reseau/<slug:slug>/doublons/", matching.network_dial, name="network_dial"),
    path("importer/", household_imports.household_import_upload, name="import"),
    path("importer/apercu/", household_imports.household_import_preview, name="import_preview"),
    path("<int:pk>/reference/", referrals.referral_send_view, name="referral_send"),
    path("references/envoyees/", referrals.referral_sent_list, name="referrals_sent"),
    path("references/recues/", referrals.referral_received_list, name="referrals_received"),
    path("references/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path(
        "references/<int:pk>/<slug:action>/",
        referrals.referral_action,
        name="referral_action",
    ),
    path("<int:pk>/notes/", notes.note_list, name="notes"),
    path("<int:pk>/notes/exporter/", notes.note_export, name="notes_export"),
    path("notes/<int:pk>/", notes.note_detail, name="note_detail"),
    # Law 25 tools
    path("confidentialite/", privacy.privacy_home, name="privacy_home"),
    path("confidentialite/responsable/", privacy.profile_edit, name="privacy_profile"),
    path("confidentialite/conservation/", privacy.retention, name="privacy_retention"),
    path(
        "confidentialite/conservation/regle/",
        privacy.retention_rule_save,
        name="privacy_retention_rule",
    ),
    path(
        "confidentialite/conservation/appliquer/",
        privacy.retention_apply_view,
        name="privacy_retention_apply",
    ),
    path("confidentialite/demandes/", privacy.request_list, name="privacy_requests"),
    path("confidentialite/demandes/nouvelle/", privacy.request_new, name="privacy_request_new"),
    path("confidentialite/demandes/<int:pk>/", privacy.request_detail, name="privacy_request"),
    path(
        "confidentialite/demandes/<int:pk>/reponse/",
        privacy.request_complete,
        name="privacy_request_complete",
    ),
    path(
        "confidentialite/demandes/<int:pk>/donnees.json",
        privacy.request_export_json,
        name="privacy_request_json",
    ),
    path(
        "confidentialite/demandes/<int:pk>/donnees.pdf",
        privacy.request_export_pdf,
        name="privacy_request_pdf",
    ),
    path("confidentialite/incidents/", privacy.incident_list, name="privacy_incidents"),
    path("confidentialite/incidents/nouveau/", privacy.incident_new, name="privacy_incident_new"),
    path(
        "confidentialite/incidents/registre.csv",
        privacy.incident_csv,
        name="privacy_incidents_csv",
    ),
    path("confidentialite/incidents/<int:pk>/", privacy.incident_detail, name="privacy_incident"),
    path(
        "confidentialite/incidents/<int:pk>/suivi/",
        privacy.incident_follow_up,
        name="privacy_incident_follow_up",
    ),
    path("confidentialite/efvp/", privacy.pia_list_view, name="privacy_pias"),
    path("confidentialite/efvp/nouvelle/", privacy.pia_new, name="privacy_pia_new"),
    path("confidentialite/efvp/<int:pk>/", privacy.pia_detail, name="privacy_pia"),
]
