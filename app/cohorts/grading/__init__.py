"""Grading a cohort and its results: assessments and their rubrics, grades and their lock
(`grades`), completion and distinction (`results`), their models and pages."""
