"""Text messages (SMS) through a Chinese provider's registered templates.

Chinese carriers only carry SMS rendered from templates the provider has approved, so a notice
becomes a template code plus a few short variables (see `templates.py`), never free text.
"""
