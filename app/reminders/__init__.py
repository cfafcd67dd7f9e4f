"""Reminders the day before and two hours before an occasion a person holds a place at."""
