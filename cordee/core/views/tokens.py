"""TEMPORARY placeholder — replaced by the API token work."""

from .account import account as token_create_view

token_revoke_view = token_create_view
