"""TEMPORARY placeholder — replaced by the account/security work."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.contrib.auth.decorators import login_required


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "core/account/account.html", {})


language = account
password_change = account
