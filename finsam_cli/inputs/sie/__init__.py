"""SIE4, the Swedish accounting systems' export: reading, checking, and the outcome per budget line."""

from .encoding import detect_encoding, is_sie
from .model import SieFile, object_column
from .reader import parse_sie, read_sie
from .tokens import format_record, split_record

__all__ = ["SieFile", "detect_encoding", "format_record", "is_sie", "object_column", "parse_sie", "read_sie",
           "split_record"]
