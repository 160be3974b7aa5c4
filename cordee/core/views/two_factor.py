"""TEMPORARY placeholder — replaced by the two-factor work."""

from .account import account as verify

setup = verify
remove = verify
