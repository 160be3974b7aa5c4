"""Who may plan tours and who may record a tour's progress on the road."""

from cordee.core.models import Role

# Planning the week: vehicles, tours, order of stops, the mobile counter's calendar.
PLANNER_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.STAFF})
# On the road: the driver marks arrivals; a planner may do it for them.
ROAD_ROLES = PLANNER_ROLES | {Role.DRIVER}
# Managing the fleet and the mobile counter's regular stops: the organisation's managers.
MANAGER_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR})
