"""The plan's reports: 年度评估 (a calendar year), 中期评估 (from the plan's start to a date) and the
monthly 定期报告, as PDF and XLSX with the same figures, rendered in the background (services.py),
from the figures of app/plans/ledger/figures (content.py), charts drawn as inline SVG (charts.py)."""
