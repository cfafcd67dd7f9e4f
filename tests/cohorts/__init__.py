"""Tests of app/cohorts."""
