"""Survey reports."""
