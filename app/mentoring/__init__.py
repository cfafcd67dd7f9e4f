"""Mentoring (延伸服务): roster mentors paired with founders of a camp cohort, the sessions they
hold, and the founders' ratings of them."""
