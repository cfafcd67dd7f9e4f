"""Tests of app/tickets."""
