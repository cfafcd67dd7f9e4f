"""Tests of app/competitions."""
