"""Merging two accounts of one person: staff find likely duplicates (duplicates.py), compare them
and merge one (the absorbed account) into the other (the survivor). Every row that names the
absorbed account moves by the policy of its column (policies.py), the moves are recorded
(models.AccountMerge.moves) and the merge can be undone exactly within ACCOUNT_MERGE_UNDO_DAYS
(services.py). Admin-only: a person's accounts cross every department."""
