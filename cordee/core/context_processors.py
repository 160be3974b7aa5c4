from django.http import HttpRequest

from .permissions import ADMIN_ROLES, MANAGER_ROLES, roles_in


def cordee(request: HttpRequest) -> dict:
    """Current organisation, the user's organisations and roles, for every template."""
    org = getattr(request, "organisation", None)
    roles = roles_in(request.user, org) if org is not None else set()  # type: ignore[arg-type]
    return {
        "current_organisation": org,
        "user_organisations": getattr(request, "organisations", []),
        "current_roles": roles,
        "is_org_admin": bool(roles & ADMIN_ROLES),
        "is_manager": bool(roles & MANAGER_ROLES),
    }
