"""Economy reports: budget against outcome, budget comparison, membership fees (each declared in its
`<name>_entry.py`), financial statements (bokslut/)."""
