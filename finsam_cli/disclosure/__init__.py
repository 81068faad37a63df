"""Small-count protection: suppression and its audit by linear programming."""
