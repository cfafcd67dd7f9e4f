"""One person across the programmes: the personal code's pages (我的码), the talent record (我的人才档案)
and staff's person search, account merging, and personal-data rights (PIPL)."""
