"""`flask backup create|restore`: one .tar holding a consistent database snapshot (pg_dump's custom
format, or SQLite's online backup), every configured file directory, and a manifest with each
member's size and sha256 and every table's row count, so a restore can prove it got back what was
saved before it touches anything, and again afterwards."""
