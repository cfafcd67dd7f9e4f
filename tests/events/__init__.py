"""Tests of app/events."""
