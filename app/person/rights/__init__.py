"""Personal-data rights (PIPL): a person downloads all their data (JSON and PDF), asks for it to be
erased, and the retention job anonymises people inactive for RETENTION_YEARS.

`inventory` finds a person's rows in every table by walking the schema (a new table is covered by
default), `export` and `pdf` hand them over, `erasure` anonymises them, `retention` finds who is due."""
