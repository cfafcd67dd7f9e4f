"""Tests of app/reminders."""
