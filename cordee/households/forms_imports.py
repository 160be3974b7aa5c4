"""The upload form of the households import: the same file field and limits as logistics."""

from cordee.logistics.forms_imports import ReceptionImportForm


class HouseholdImportForm(ReceptionImportForm):
    """A list of households kept in a spreadsheet (CSV or Excel .xlsx)."""
