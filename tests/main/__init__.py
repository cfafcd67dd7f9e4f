"""Tests of app/main."""
