"""`bokslut`: the financial statements (Resultaträkning, Balansräkning, Kassaflödesanalys, Noter) from a trial
balance of this year and last year, cross-checked before anything is returned."""
