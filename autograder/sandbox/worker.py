"""The worker's side of a grading session: import the submission once, then answer probes.

Runs confined (see `confine`), with stdin, stdout and stderr on /dev/null: the only way out is the
channel to the judge, and what goes through it is plain data that the judge checks itself.
"""

from __future__ import annotations

import importlib
import socket
from pathlib import Path
from typing import Any

from course_checks import probes
from course_checks.probes.loader import ImportFailed, load_student_module
from autograder.sandbox.protections import Protection
from autograder.sandbox.protocol import ChannelClosed, recv_frame, send_frame


def serve(channel: socket.socket, exercise_id: str, scratch: Path, protections: dict[Protection, bool]) -> None:
    """Say which protections are on, load the submission, then one probe per request until closed."""
    if not exercise_id:  # only asked which protections took (`course doctor`, the check before grading)
        send_frame(channel, {"hello": protections})
        return
    probes.catch_interrupts = True
    probe_module = importlib.import_module(probes.probe_module_name(exercise_id))
    # Resolve the probes before any student code runs, so rebinding module attributes later
    # cannot swap which function answers a request.
    known_probes = {name: value for name, value in vars(probe_module).items()
                    if callable(value) and not name.startswith("_") and getattr(value, "__module__", "") == probe_module.__name__}
    send_frame(channel, {"hello": protections})
    request = recv_frame(channel)
    if type(request) is not dict or request.get("op") != "load" or type(request.get("source")) is not str:
        return
    path = scratch / "submission" / f"{exercise_id}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(request["source"], encoding="utf-8")
    try:
        module = load_student_module(exercise_id, path)
    except ImportFailed as exc:
        send_frame(channel, {"unavailable": exc.plain()})  # worded by the judge, in the run's language
        return
    send_frame(channel, {"loaded": True})
    while True:
        try:
            request = recv_frame(channel)
        except ChannelClosed:
            return
        send_frame(channel, {"outcome": _answer(request, known_probes, module)})


def _answer(request: Any, known_probes: dict[str, Any], module: Any) -> dict[str, Any]:
    if type(request) is not dict or type(request.get("inputs")) is not dict:
        return {"invalid": "malformed probe request"}
    probe = known_probes.get(request.get("probe"))
    if probe is None:
        return {"invalid": f"unknown probe {str(request.get('probe'))[:80]!r}"}
    return probes.run_probe(probe, module, request["inputs"])
