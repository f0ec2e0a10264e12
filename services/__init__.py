"""Domain services: one function per thing a user does, tested without HTTP.

The transaction rule, for every module here: **a service owns its transaction.** A function that a
view, an API endpoint or a CLI command calls does the whole change and commits it, or rolls back and
raises (FieldErrors, StockError, UserError, ...) so that nothing is half-written. Views and commands
call a service and render; they never commit, add, delete or roll back themselves (a test in
tests/unit/test_layout_rules.py walks blueprints/ and cli/ to keep it so).

A few building blocks are made to be part of a larger change and say so in their docstring
("inside the caller's transaction"): scanlog.record, barcode links added while receiving, the
stock helpers in services/stock/common.py. Only services call them.
"""
