"""Typed records: what a probe returns, as the judge reads it.

A probe that returns more than one value returns a record, a frozen dataclass deriving from
`ProbeResult` and declared next to the probe:

    @dataclass(frozen=True)
    class LossValues(ProbeResult):
        loss: object              # whatever the student's function returned
        y_hat_after: TensorData   # a tensor the probe made: the judge gets it as TensorData
        builtins: list[str]

Fields are annotated as the judge sees them. In the worker the probe fills them with what it has
(`LossValues.of(loss=loss, y_hat_after=y_hat, builtins=names)`: a TensorData field holds the
torch tensor to send), `encode` sends the fields as a plain mapping, and the judge rebuilds the
record the probe's return annotation names (`-> LossValues`, `-> list[Outcome]`), checking that
every field is there and has its declared type (anything else sent is dropped). A field the
student's code can put anything into is annotated `object`; an answer that does not fit is garbled,
never a record with holes.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any

from course_checks.probes.encoding import EncodingError, OtherObject, ProbeResult, Raised, TensorData, field_names

LEAVES = (TensorData, Raised, OtherObject, str)


_HINTS: dict[object, dict[str, Any]] = {}


def _hints(target: object) -> dict[str, Any]:
    """The annotations of a probe function or a record class, evaluated once."""
    if target not in _HINTS:
        _HINTS[target] = typing.get_type_hints(target)
    return _HINTS[target]


def declared(probe: Callable[..., object], value: object) -> object:
    """The decoded answer of `probe` as its return annotation declares it; EncodingError if it does not fit."""
    return _rebuild(_hints(probe).get("return", object), value, probe.__name__)


def _rebuild(annotation: Any, value: object, where: str) -> object:
    if annotation in (Any, object):
        return value
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(annotation)
        if value is None and type(None) in members:
            return None
        problems = []
        for member in (member for member in members if member is not type(None)):
            try:
                return _rebuild(member, value, where)
            except EncodingError as exc:
                problems.append(str(exc))
        raise EncodingError("; ".join(problems))
    if origin is list:
        (item,) = typing.get_args(annotation) or (object,)
        if type(value) is not list:
            raise EncodingError(f"{where} should be a list, got {type(value).__name__}")
        return [_rebuild(item, entry, f"{where}[{index}]") for index, entry in enumerate(value)]
    if origin is dict:
        _, item = typing.get_args(annotation) or (str, object)
        if type(value) is not dict:
            raise EncodingError(f"{where} should be a mapping, got {type(value).__name__}")
        return {key: _rebuild(item, entry, f"{where}[{key!r}]") for key, entry in value.items()}
    if isinstance(annotation, type) and issubclass(annotation, ProbeResult):
        return _record(annotation, value, where)
    if annotation is float:
        if type(value) not in (int, float):
            raise EncodingError(f"{where} should be a number, got {type(value).__name__}")
        return float(typing.cast(float, value))
    if annotation in (bool, int) or annotation in LEAVES:
        if type(value) is not annotation:
            raise EncodingError(f"{where} should be {annotation.__name__}, got {type(value).__name__}")
        return value
    raise EncodingError(f"{where}: cannot read a field annotated {annotation!r}")


def _record(cls: type[ProbeResult], value: object, where: str) -> ProbeResult:
    hints = _hints(cls)
    names = field_names(cls)
    # Fields it does not declare are left behind (a tampered worker may add any): only declared ones are read.
    if type(value) is not dict or not set(names) <= set(value):
        shown = sorted(value) if type(value) is dict else type(value).__name__
        raise EncodingError(f"{where} should be a {cls.__name__} with {names}, got {shown}")
    return cls(**{name: _rebuild(hints[name], value[name], f"{where}.{name}") for name in names})
