"""Tests of app/registrations."""
