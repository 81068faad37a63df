"""`finsam uppfoljning`: the figures the association registers in Uppföljning Finsam (report.py), declared in
entry.py."""
