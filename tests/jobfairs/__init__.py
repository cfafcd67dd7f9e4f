"""Tests of app/jobfairs."""
