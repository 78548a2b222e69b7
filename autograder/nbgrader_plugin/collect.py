"""`nbgrader zip_collect` for LMS downloads named `<…>_<student>_attempt_<YYYY-MM-DD-hh-mm-ss>_<notebook>.ipynb`.

nbgrader hands the file name's timestamp to dateutil, which reads `2026-11-21-10-30-00` as
10:00:00 with "-30" taken for something else, so every submission's minutes and seconds were
lost (and a deadline could be missed or met by up to an hour).
"""

from __future__ import annotations

import re

from nbgrader.plugins import FileNameCollectorPlugin

LMS_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2})-(\d{2})-(\d{2})(?:-(\d{2}))?")


def lms_timestamp(text: str) -> str:
    """`YYYY-MM-DD-hh-mm[-ss]` as `YYYY-MM-DD hh:mm:ss`; anything else unchanged, for nbgrader to parse."""
    found = LMS_TIMESTAMP.fullmatch(text)
    if found is None:
        return text
    date, hours, minutes, seconds = found.groups()
    return f"{date} {hours}:{minutes}:{seconds or '00'}"


class LmsFileNameCollector(FileNameCollectorPlugin):
    """FileNameCollectorPlugin (same `named_regexp`) that keeps the whole time of day of a download."""

    def collect(self, submitted_file: str) -> dict[str, str] | None:
        """The file's student id, notebook and timestamp, with the timestamp in a form nbgrader parses right."""
        info = super().collect(submitted_file)
        if info and isinstance(info.get("timestamp"), str):
            info["timestamp"] = lms_timestamp(info["timestamp"])
        return info
