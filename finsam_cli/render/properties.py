"""What a workbook's or document's properties say about the report: the same words in xlsx and docx."""

from __future__ import annotations

from dataclasses import dataclass

from ..reports.model import Report
from .excel_styles import clean_text


@dataclass(frozen=True)
class Properties:
    title: str
    subject: str  # insats · period
    author: str  # the association, also the last modifier
    keywords: str  # the report kind
    comments: str  # the finsam version, and whether the data is example data


def properties(report: Report) -> Properties:
    """Only the report's own texts: never a file name or a value from the data."""
    return Properties(
        title=clean_text(report.title),
        subject=clean_text(" · ".join(x for x in (report.subject, report.period.label) if x)),
        author=clean_text(report.association),
        keywords=clean_text(report.kind),
        comments=clean_text(f"Skapad med finsam {report.provenance.version}"
                            + (" av exempeldata" if report.provenance.example_data else "")),
    )
