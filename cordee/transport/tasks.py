"""Background tasks of transport (django-tasks: a worker runs them; tests run them at once)."""

from django_tasks import task


@task()
def tour_optimise_task(tour_id: int, actor_id: int | None, seconds: float) -> None:
    from .services.tours import tour_optimise_run

    tour_optimise_run(tour_id=tour_id, actor_id=actor_id, seconds=seconds)


@task()
def mobile_counter_notices_task(cancellation_id: int) -> None:
    from .services.notices import mobile_counter_notices_send

    mobile_counter_notices_send(cancellation_id=cancellation_id)
