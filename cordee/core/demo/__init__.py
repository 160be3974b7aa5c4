"""Demo data: a fictional food-security hub network and a homelessness coalition.

`data` holds the content as plain Python structures; `load` writes it, idempotently.
"""
