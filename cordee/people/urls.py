"""Volunteers and shifts, under /benevoles/ (namespace `people`)."""

from django.urls import path

from .views import coordinator, public, training, volunteer

app_name = "people"

urlpatterns = [
    path("", coordinator.home, name="dashboard"),
    path("semaine/", coordinator.week, name="week"),
    path("mois/", training.month, name="month"),
    path("formation/", training.my_training, name="training"),
    path("formation/aisance/", training.comfort, name="training_comfort"),
    path("formation/modules/<int:pk>/", training.module_detail, name="training_module"),
    path("formation/modules/<int:pk>/fait/", training.module_complete, name="training_complete"),
    path("formation/seances/", training.sessions, name="training_sessions"),
    path(
        "formation/seances/<int:pk>/inscrire/",
        training.session_signup,
        name="training_session_signup",
    ),
    path(
        "formation/seances/<int:pk>/annuler/",
        training.session_cancel,
        name="training_session_cancel",
    ),
    path("formation/besoins/", training.needs, name="training_needs"),
    path(
        "formation/reseau/<int:pk>/besoins/",
        training.network_needs,
        name="training_network_needs",
    ),
    path("formation/astuces/", training.tip, name="training_tip"),
    path("semaine/creer/", coordinator.generate, name="generate"),
    path("quarts-reguliers/nouveau/", coordinator.template_new, name="template_new"),
    path("quarts/<int:pk>/", coordinator.shift_detail, name="shift"),
    path("quarts/<int:pk>/message/", coordinator.shift_message, name="shift_message"),
    path("liste/", coordinator.volunteers, name="volunteers"),
    path("liste/nouveau/", coordinator.volunteer_new, name="volunteer_new"),
    path("liste/<int:pk>/", coordinator.volunteer_edit, name="volunteer_edit"),
    path(
        "liste/<int:pk>/certification/",
        coordinator.certification_new,
        name="certification_new",
    ),
    path("mes-quarts/", volunteer.my_shifts, name="my_shifts"),
    path("mes-quarts/<int:pk>/inscrire/", volunteer.sign_up, name="sign_up"),
    path("inscriptions/<int:pk>/annuler/", volunteer.cancel, name="cancel"),
    path("annuler/<str:token>/", public.cancel_by_token, name="cancel_by_token"),
    path("calendrier/<str:token>.ics", public.calendar_feed, name="calendar"),
]

# Hours and shared positions (views/hours.py, views/positions.py).
from .views import hours, positions  # noqa: E402

urlpatterns += [
    path("heures/", hours.my_hours, name="my_hours"),
    path("heures/arrivee/", hours.check_in, name="check_in"),
    path("heures/depart/", hours.check_out, name="check_out"),
    path("heures/declarer/", hours.report, name="hours_report"),
    path("heures/suivi/", hours.coordination, name="hours_coordination"),
    path("heures/suivi/ajouter/", hours.staff_add, name="hours_staff_add"),
    path("heures/<int:pk>/decision/", hours.decide, name="hours_decide"),
    path("heures/reconnaissance/", hours.recognition, name="hours_recognition"),
    path("heures/reconnaissance.csv", hours.recognition_csv, name="hours_recognition_csv"),
    path("heures/reseau/", hours.network, name="hours_network"),
    path("postes/", positions.position_list, name="positions"),
    path("postes/nouveau/", positions.position_new, name="position_new"),
    path("postes/<int:pk>/", positions.position_detail, name="position"),
    path("postes/<int:pk>/partage/", positions.share_add, name="position_share"),
    path("postes/<int:pk>/temps/", positions.timesheet_new, name="position_timesheet"),
    path("postes/<int:pk>/releve/", positions.statement_new, name="position_statement"),
    path("postes/<int:pk>/paiement/", positions.payment_new, name="position_payment"),
    path("postes/<int:pk>/calendrier/", positions.position_calendar, name="position_calendar"),
    path("postes/<int:pk>/correction/", positions.adjustment_new, name="position_adjustment"),
    path("postes/<int:pk>/employe/", positions.employee_set, name="position_employee"),
    path(
        "postes/<int:pk>/releves/<int:statement_pk>/",
        positions.statement_detail,
        name="statement",
    ),
    path(
        "postes/<int:pk>/releves/<int:statement_pk>.pdf",
        positions.statement_pdf,
        name="statement_pdf",
    ),
]
