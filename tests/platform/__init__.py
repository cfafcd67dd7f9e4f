"""Tests of the platform modules of app/ (config, errors, web helpers, locking, time, privacy, ...)
and the checks that span the whole app (route matrix, bad input, security headers, layers)."""
