"""Applications and selection of the entrepreneurship camps: founders apply to a tier of a cycle,
reviewers score the applications against the cycle's rubric, organisers admit, waitlist or reject.
`applications` is the index of its actions (callers write `apps.apply`, `apps.decide`…)."""
