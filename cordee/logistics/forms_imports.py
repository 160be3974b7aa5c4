"""The upload forms of the spreadsheet imports (receptions, stock counts)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .imports import MAX_BYTES


class ReceptionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_BYTES:
            raise ValidationError(_("The file is too big (more than 5 MB)."), code="size")
        return upload


class StockCountImportForm(ReceptionImportForm):
    """The same file field and limits: a stock count kept in a spreadsheet."""
