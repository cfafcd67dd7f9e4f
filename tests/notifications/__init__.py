"""Tests of app/notifications."""
