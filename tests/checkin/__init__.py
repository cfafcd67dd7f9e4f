"""Tests of app/checkin."""
