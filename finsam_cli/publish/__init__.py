"""Producing outputs: the one pipeline every command and the export use."""
