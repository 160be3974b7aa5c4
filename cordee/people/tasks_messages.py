"""Background task of « message everyone on a shift » (django-tasks)."""

from django_tasks import task


@task()
def shift_message_task(message_id: int) -> None:
    from .services.messages import shift_message_deliver

    shift_message_deliver(message_id=message_id)
