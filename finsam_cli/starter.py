"""The commented starter config that `finsam init` writes."""

# The starter's association name: every run warns until it is changed, so it never reaches a report unnoticed.
PLACEHOLDER_NAME = "Samordningsförbundet Exempel"

STARTER_CONFIG = '''\
# finsam.toml: configuration for finsam. Paths are relative to this file.
# Command-line options (--deltagare, --budget, ...) override what is set here.

[forbund]
namn = "Samordningsförbundet Exempel"

[data]
# deltagare = "data/deltagare.csv"        # participant export (CSV or xlsx)
# anonyma = "data/anonyma.csv"            # Insats;År;Kvinnor;Män
# budget = "data/budget.csv"              # År;Post;Grupp;Belopp[;Period]
# utfall = "data/utfall.csv"              # År;Post;Belopp or Datum;Post;Belopp
# sie = "data/bokforing.se"               # SIE4 export (or a saldolista) for `finsam bokslut`
# finansiering = "data/finansiering.csv"  # År;Post;Källa;Belopp (e.g. ESF)
# forklaringar = "data/forklaringar.csv"  # År;Post;Förklaring
# befolkning = "data/befolkning.csv"      # Kommun;Datum;Invånare
# enkat = "data/enkat.xlsx"               # survey answers: Enkät;Datum (or År);Insats;Kön;<questions>
# prognos = "data/prognos.csv"            # År;Post;Prognos: the economist's full-year forecast
profil = "aventus"                        # which [profiler.*] maps headers and codes

# One [[insatser]] block per insats. Insatser found in the data work without one,
# but goals and the denominator need it.
# [[insatser]]
# namn = "Ung i Exempelstad"     # as written in the export's Insats column
# slug = "ung-i-exempelstad"     # for --insats and file names (default: made from namn)
# kommun = "Exempelstad"
# namnare = "alla"               # share denominator: "alla" exits, or "med_insats"
# [insatser.mal.2025]
# deltagare = 250
# nya_deltagare = 120
# andel_arbete_studier = 65      # percent; or andel_arbete / andel_studier / andel_arbetsforberedande

# Extra header spellings and value codes of your export system.
# [profiler.aventus.kolumner]
# avslutsdatum = ["Utskrivningsdatum"]
# [profiler.aventus.varden.avslutsorsak]
# "Arbete med anställningsstöd" = "Arbete"
# [profiler.aventus.remittent]
# "Ungdomsmottagningen" = "Region"

# Grouping of sources of support in the tables (this is the default).
# [forsorjning]
# "Lön/CSN" = ["Lön", "Studiemedel"]

[troskel]
forklaring = 100000   # deviations of at least this many kronor need an explanation

[sekretess]
minsta_antal = 0      # e.g. 5 hides counts of 1-4 persons; 0 = off

[export]
# katalog = "/mnt/gemensam/finsam"
format = ["md", "xlsx"]

# [medlemsavgifter]
# kommuner = ["Exempelstad", "Grannby"]
# [medlemsavgifter.total]
# 2025 = 16416000

# The financial statements (finsam bokslut): account ranges per line, and Not 1's text.
# [bokslut]
# redovisningsprinciper = "Årsredovisningen är upprättad i enlighet med ..."
# [bokslut.rader]
# "Verksamhetens kostnader" = [[4000, 7699], [7900, 7999]]

# [pseudonymisering]
# nyckelfil = "/etc/finsam/pseudonym.key"   # else $FINSAM_PSEUDONYM_NYCKEL or ~/.config/finsam/pseudonym.key
'''
