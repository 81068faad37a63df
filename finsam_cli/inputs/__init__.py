"""Reading input files: CSV, xlsx and SIE readers, the file-kind contract, pseudonyms."""
