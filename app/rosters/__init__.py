"""Rosters of the bureau's 海(境)外创业导师, 引才大使 and 引才专员: appointments with a term, their
聘书, and the referral codes of ambassadors and officers."""
