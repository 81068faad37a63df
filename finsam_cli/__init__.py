"""finsam: reports for a samordningsförbund from the exports it already has."""

__version__ = "0.1.0"
