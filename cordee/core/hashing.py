"""Hashes of the secrets Cordée hands out (invitation links, API tokens).

These secrets are long and random, so a fast SHA-256 is enough: nothing to brute-force.
Only the hash is stored; the secret itself is shown or e-mailed once.
"""

import hashlib


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
