"""`finsam arsredovisning`: the numeric part of the annual report, every part in the published order."""
