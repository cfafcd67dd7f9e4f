"""Tests of app/studios."""
