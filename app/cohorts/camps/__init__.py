"""Camps and cycles: programmes and tiers, cycles, cohorts with their trainers, and enrolment
(a seat on the cohort's occasion, app.occasions)."""
