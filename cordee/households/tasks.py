"""Background tasks of households (django-tasks: a worker runs them; tests run them at once)."""

from django_tasks import task


@task()
def privacy_retention_task() -> dict[str, int]:
    """Apply every organisation's retention rules (queued daily, or run by the command)."""
    from .services.privacy import retention_apply_all

    result = retention_apply_all()
    return {"households": result.households, "visits": result.visits}
