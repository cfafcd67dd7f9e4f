"""Lessons and attendance: a cohort's lessons (meetings of its occasion, app.occasions), the
scans and trainer's marks that make attendance, the projected check-in code and the lesson pages."""
