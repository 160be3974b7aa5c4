"""Background tasks of people (django-tasks: a worker runs them; tests run them at once)."""

from django_tasks import task


@task()
def shift_reminder_task(signup_id: int) -> None:
    from .services.reminders import reminder_send

    reminder_send(signup_id=signup_id)
