"""Tests of app/calendars."""
