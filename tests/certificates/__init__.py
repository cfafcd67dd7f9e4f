"""Tests of app/certificates."""
