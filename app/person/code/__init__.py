"""我的码 pages: the person's personal code on their phone, and their phones (revoke a lost one)."""
