"""The time finsam believes it is: $SOURCE_DATE_EPOCH when set, for reproducible output."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def today() -> date:
    return now().date()
