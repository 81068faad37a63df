"""SIE4, the Swedish accounting systems' export: reading, checking, and the outcome per budget line."""

from .checks import validate_sie
from .encoding import detect_encoding, is_sie
from .model import SieFile, object_column
from .outcome import SieOutcome, sie_outcome
from .reader import parse_sie, read_sie
from .tokens import format_record, split_record

__all__ = ["SieFile", "SieOutcome", "detect_encoding", "format_record", "is_sie", "object_column",
           "parse_sie", "read_sie", "sie_outcome", "split_record", "validate_sie"]
