"""Apply the retention rules (Law 25) of every organisation: run it daily from cron.

manage.py privacy_retention_apply            anonymise what the rules say, now
manage.py privacy_retention_apply --dry-run  only count what would be anonymised
manage.py privacy_retention_apply --enqueue  leave the work to the task worker
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cordee.core.models import Organisation
from cordee.households.models_privacy import RetentionRule
from cordee.households.selectors.privacy import retention_preview
from cordee.households.services.privacy import retention_apply_all
from cordee.households.tasks import privacy_retention_task


class Command(BaseCommand):
    help = "Anonymise households and visits past their retention period (Law 25)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")
        parser.add_argument("--enqueue", action="store_true", help="Queue it for the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            ids = RetentionRule.objects.filter(active=True).values_list("organisation", flat=True)
            households = visits = 0
            for org in Organisation.objects.filter(pk__in=ids.distinct()):
                for row in retention_preview(org=org):
                    self.stdout.write(f"{org.slug}: {row.rule.category} {row.count}")
                    if row.rule.category == "households":
                        households += row.count
                    else:
                        visits += row.count
            self.stdout.write(
                f"Dry run: {households} household(s), {visits} visit(s) would change."
            )
            return
        if options["enqueue"]:
            privacy_retention_task.enqueue()
            self.stdout.write("Retention queued.")
            return
        result = retention_apply_all()
        self.stdout.write(
            f"Anonymised: {result.households} household(s), {result.visits} visit(s)."
        )
