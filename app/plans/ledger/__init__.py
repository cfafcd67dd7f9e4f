"""The ledger: each computed target is a query over the records, counting each person (or occasion)
once. `counters.py` names the rules a plan file may use; `figures.py` turns a rule into the figures
the dashboard shows, the report prints and the tests check — one query for all three."""
