"""The plan as data: a plan's items (with their 责任部门) and targets, the ledger that counts each
person once from the records, the leaders' dashboard, and the 年度评估 / 中期评估 / 定期报告 reports."""
