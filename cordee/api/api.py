"""The Cordée REST API, mounted at /api/v1 (OpenAPI schema at /api/v1/openapi.json).

Every operation needs a personal API token: `Authorization: Bearer cordee_…`.
Error bodies are `{"detail": "<short French message>"}`.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from .auth import ApiTokenAuth
from .core import router as core_router
from .households import router as households_router
from .logistics import router as logistics_router
from .logistics_orders import router as logistics_orders_router
from .people import router as people_router

api = NinjaAPI(
    title="Cordée API",
    version="1",
    description=(
        "Lecture des organismes, points de service, personnes et réseaux de l'appelant ; "
        "catalogue, stock, lots et réceptions (enregistrement compris) ; "
        "jours de livraison, commandes, répartition, livraisons et rappels ; "
        "ménages, visites et accueil au comptoir. "
        "Authentification : `Authorization: Bearer <jeton personnel>`."
    ),
    urls_namespace="api",
    auth=ApiTokenAuth(),
)
api.add_router("", core_router)
api.add_router("", logistics_router)
api.add_router("", logistics_orders_router)
api.add_router("", people_router)
api.add_router("", households_router)

NOT_FOUND = "Introuvable."
UNAUTHORISED = "Jeton manquant, invalide ou révoqué."
FORBIDDEN = "Votre rôle dans cet organisme ne permet pas cette action."


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = api.create_response(request, {"detail": UNAUTHORISED}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": FORBIDDEN}, status=403)
