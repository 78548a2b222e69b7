"""Probes: small trusted functions that call a student's functions and return plain data.

A probe runs where the student's code runs: in-process for a self-learner and in a notebook, inside
the sandboxed worker when grading. It holds no secrets: every input arrives as an argument from the
judge (plain lists, numbers and seeds), every expected value stays in the judge. A probe's signature
is `probe(module, **inputs)`; it returns numbers, strings, lists, tensors, or a typed record of them
(see `records`), which `run_probe` turns into plain data (see `encoding`).

Each exercise has one module of probes here, `<exercise id>.py`, which also defines `warm_up()`:
the torch operations its probes and its students use, run once in the sandbox's zygote so that no
worker pays for their first call.
"""

from __future__ import annotations

import importlib
import linecache
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import torch

from course_checks.i18n import N_
from course_checks.probes.encoding import EncodingError, ProbeResult, Raised, TensorData, encode

MESSAGE_UNREADABLE = N_("<message could not be read>")  # a student exception whose str() itself raised

__all__ = ["Probe", "ProbeResult", "TensorData", "attempt", "call", "call_and_iterate", "grad_of", "load_probes",
           "probe_exercises", "probe_module_name", "run_probe", "tensor"]

Probe = Callable[..., Any]
MACHINERY = frozenset({"__init__", "d2l", "encoding", "loader", "records"})  # the modules here that are not an exercise's

# In the sandboxed worker everything the student raises is the student's, KeyboardInterrupt
# included; in a self-learner's own pytest run Ctrl-C must still stop pytest.
catch_interrupts = False


class MissingFunction(Exception):
    """The student's module has no function of that name."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class StudentCallFailed(Exception):
    """A student function raised; `raised` says what was called and what it raised."""

    def __init__(self, raised: Raised) -> None:
        super().__init__(raised.describe())
        self.raised = raised


def describe_value(value: Any) -> str:
    """A short description of an argument for messages: `float32 (3, 1)`, `0.5`, `[1.0, 2.0]`."""
    if isinstance(value, torch.Tensor):
        grad = ", requires_grad" if value.requires_grad else ""
        return f"<{str(value.dtype).removeprefix('torch.')} tensor {tuple(value.shape)}{grad}>"
    if type(value) in (list, tuple):
        inner = ", ".join(describe_value(item) for item in value[:6]) + (", ..." if len(value) > 6 else "")
        return f"[{inner}]" if type(value) is list else f"({inner})"
    if isinstance(value, torch.Generator):
        return "<torch.Generator>"
    if callable(value):
        return getattr(value, "__name__", "a function")
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def describe_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """`huber_loss(<float32 tensor (7, 1)>, <float32 tensor (7,)>, sigma=0.5)`."""
    parts = [describe_value(arg) for arg in args] + [f"{key}={describe_value(val)}" for key, val in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _student_files(module: ModuleType) -> set[str]:
    """The files the student's functions were written in: the module's file, or a notebook's cells."""
    files = {str(getattr(module, "__file__", "") or "")}
    for value in vars(module).values():
        code = getattr(value, "__code__", None)
        if code is not None and getattr(value, "__module__", None) == module.__name__:
            files.add(code.co_filename)
    files.discard("")
    return files


def _raised(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], exc: BaseException, module: ModuleType) -> Raised:
    """What was called and what it raised, with the innermost line of the student's own code on the way."""
    files = _student_files(module)
    innermost: tuple[Any, int] | None = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename in files:
            innermost = (frame, lineno)
    function, file, line, source = name, "", 0, ""
    if innermost is not None:
        frame, line = innermost
        # A comprehension's frame is named "<listcomp>"; name the function it sits in instead.
        named = next((candidate for candidate, _ in reversed(list(traceback.walk_tb(exc.__traceback__)))
                      if candidate.f_code.co_filename in files and not candidate.f_code.co_name.startswith("<")), None)
        function = named.f_code.co_name if named is not None else name
        filename = frame.f_code.co_filename
        file = Path(filename).name if filename == getattr(module, "__file__", None) else ""
        source = linecache.getline(filename, line).strip()
    return Raised(call=describe_call(name, args, kwargs), type=type(exc).__name__, message=_safe_str(exc),
                  function=function, file=file, line=line, source=source,
                  trail=" < ".join(frame.f_code.co_name for frame, _ in traceback.walk_tb(exc.__traceback__))[-300:])


def _caught() -> tuple[type[BaseException], ...]:
    return (BaseException,) if catch_interrupts else (Exception, SystemExit, GeneratorExit)


def call(module: ModuleType, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call `module.name(*args, **kwargs)`; a raise becomes StudentCallFailed naming the call."""
    function = getattr(module, name, None)
    if not callable(function):
        raise MissingFunction(name)
    try:
        return function(*args, **kwargs)
    except _caught() as exc:
        raise StudentCallFailed(_raised(name, args, kwargs, exc, module)) from None


def call_and_iterate(module: ModuleType, name: str, *args: Any, limit: int, **kwargs: Any) -> tuple[Any, list[Any] | None]:
    """Call `module.name(*args, **kwargs)` and take up to `limit` items of what it returns.

    Returns (the result, its items), the items None when the result is not iterable. A generator's
    body runs only while it is iterated, so a raise there is caught as `call` catches one: it becomes
    StudentCallFailed naming the call and the student's line. `limit` stops an endless iterator.
    """
    result = call(module, name, *args, **kwargs)
    try:
        iterator = iter(result)
    except TypeError:
        return result, None
    items: list[Any] = []
    try:
        for item in iterator:
            items.append(item)
            if len(items) >= limit:
                break
    except _caught() as exc:
        raise StudentCallFailed(_raised(name, args, kwargs, exc, module)) from None
    return result, items


def attempt(module: ModuleType, name: str, *args: Any, **kwargs: Any) -> Any:
    """Like `call`, but a raise is returned as a `Raised` record (for checks that expect one)."""
    try:
        return call(module, name, *args, **kwargs)
    except StudentCallFailed as failed:
        return failed.raised


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)[:2000]
    except Exception:  # a student's exception with a broken __str__
        return MESSAGE_UNREADABLE


def tensor(data: Any, *, requires_grad: bool = False, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """A fresh leaf tensor from plain nested lists."""
    return torch.tensor(data, dtype=dtype, requires_grad=requires_grad)


def grad_of(parameter: torch.Tensor) -> torch.Tensor | None:
    """`parameter.grad` (None when backward never reached it)."""
    return parameter.grad


def run_probe(probe: Probe, module: ModuleType, inputs: dict[str, Any]) -> dict[str, Any]:
    """Run one probe and return its outcome as plain data, never raising for the student's sake.

    `{"value": ...}` on success, `{"raised": ...}` when the student's code raised, `{"missing":
    name}` for an absent function, `{"invalid": reason}` when the result cannot be encoded.
    """
    try:
        value = probe(module, **inputs)
    except MissingFunction as missing:
        return {"missing": missing.name}
    except StudentCallFailed as failed:
        return {"raised": encode(failed.raised)}
    except _caught() as exc:
        # The probe itself tripped over what the student returned (e.g. a list where a tensor
        # was due); report it as the student's error, with the probe's own wording.
        raised = Raised(call=probe.__name__, type=type(exc).__name__, message=_safe_str(exc), examined=probe.__name__)
        return {"raised": encode(raised)}
    try:
        return {"value": encode(value)}
    except EncodingError as exc:
        return {"invalid": str(exc)}
    except _caught() as exc:
        return {"invalid": f"{type(exc).__name__}: {_safe_str(exc)}"}


def probe_module_name(exercise_id: str) -> str:
    """The import name of an exercise's probes."""
    return f"{__name__}.{exercise_id}"


def probe_exercises() -> list[str]:
    """The exercises that have a module of probes here, by file name."""
    return sorted(path.stem for path in Path(__file__).parent.glob("*.py") if path.stem not in MACHINERY)


def load_probes(exercise_id: str) -> ModuleType:
    """An exercise's probe module, its convention checked: it defines `warm_up()`."""
    module = importlib.import_module(probe_module_name(exercise_id))
    if not callable(getattr(module, "warm_up", None)):
        raise TypeError(f"{module.__name__}: define warm_up(), the torch operations to run once before any worker "
                        "starts (`pass` if there are none)")
    return module
