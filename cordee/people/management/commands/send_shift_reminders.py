"""Queue the day-before reminders (run it from cron, e.g. every day at 10 h)."""

from typing import Any

from django.core.management.base import BaseCommand

from cordee.people.services.reminders import reminders_enqueue


class Command(BaseCommand):
    help = "Queue the reminders of tomorrow's shifts; the worker sends them, once each."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_enqueue()
        self.stdout.write(f"{count} reminder(s) queued.")
