"""The test suite: tests/<domain>/ mirrors app/<domain>/ (tests/platform/ the platform modules of app/),
tests/fixtures/ holds the per-domain fixtures, tests/browser/ the Playwright tests.  A package, so that test
modules are imported as tests.<domain>.test_x and equal basenames in two folders do not clash."""
