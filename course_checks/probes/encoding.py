"""Plain data between the worker and the judge: JSON with tensors as dtype, shape and raw bytes.

The worker encodes whatever a probe returns; the judge decodes it into objects it builds itself
(numbers, strings, lists, dicts and `TensorData` backed by a fresh float64 tensor). Nothing from the
student's process is ever unpickled or called on the judge's side, so a lying `__eq__` or a tensor
subclass stops at the worker boundary.
"""

from __future__ import annotations

import base64
import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, TypeVar

import torch

from course_checks.i18n import N_, _

MAX_TENSOR_ELEMENTS = 1_000_000
MAX_DEPTH = 8
MAX_ITEMS = 10_000
MAX_TEXT = 2_000
REPR_FAILED = N_("<repr failed>")

TENSOR = "$tensor"
RAISED = "$raised"
OBJECT = "$object"


class EncodingError(ValueError):
    """A value could not be turned into plain data (too big, too deep, garbled)."""


R = TypeVar("R", bound="ProbeResult")


class ProbeResult:
    """Base of the records probes return, each a frozen dataclass (see `records`): sent as the
    mapping of its fields, rebuilt by the judge as the class the probe declares."""

    @classmethod
    def of(cls: type[R], **fields: object) -> R:
        """The record, built in the worker from what the probe holds (tensors for TensorData fields)."""
        names = field_names(cls)
        if sorted(fields) != sorted(names):
            raise TypeError(f"{cls.__name__} has the fields {names}; got {sorted(fields)}")
        return cls(**fields)


def field_names(record: Any) -> list[str]:
    """The fields of a record class or instance, in declaration order."""
    return [item.name for item in dataclasses.fields(record)]


@dataclass(frozen=True)
class Raised:
    """A student function raised instead of returning: what was called and what it raised."""

    call: str
    type: str
    message: str
    function: str = ""
    trail: str = ""  # the innermost frames' function names, e.g. "forward < legacy_get_string"
    file: str = ""  # where in the student's code it was raised: the file's name ("" in a notebook cell),
    line: int = 0  # the line number (0: unknown)
    source: str = ""  # and that line's code
    examined: str = ""  # set when a probe tripped over what a function returned: the probe's name

    def error(self, limit: int = MAX_TEXT) -> str:
        """`RuntimeError: ...`: the type and the message (capped), as the student's code raised it: PyTorch's
        and Python's own text; a message the course's own probes raise is in the current language. A message
        of several lines (PyTorch lists the signatures it accepts) becomes one, so that it reads as one quote."""
        message = self.message.strip()
        if not message:
            return self.type
        text = " ".join(line.strip() for line in _(message).splitlines() if line.strip())
        return f"{self.type}: {text[:limit]}"

    def called(self) -> str:
        """What was called: the student's function, or the probe that examined its result."""
        if self.examined:
            return _("examining the result of {probe}").format(probe=self.examined.replace("_", " "))
        return self.call

    def describe(self) -> str:
        """`huber_loss(...) raised RuntimeError: ...` on one line (message capped)."""
        return _("{call} raised {error}").format(call=self.called(), error=self.error())


@dataclass(frozen=True)
class OtherObject:
    """A returned value that is neither plain data nor a tensor: only its type and a short repr."""

    type: str
    repr: str

    def __str__(self) -> str:
        return _("a {type} ({value})").format(type=self.type, value=_(REPR_FAILED) if self.repr == REPR_FAILED
                                              else self.repr)


@dataclass(frozen=True)
class TensorData:
    """A tensor as the student's code produced it, rebuilt by the judge from bytes."""

    values: torch.Tensor  # float64, built by the judge
    dtype: str
    shape: tuple[int, ...]
    requires_grad: bool = False
    is_leaf: bool = True
    grad_fn: str | None = None
    kind: str = "Tensor"  # the exact class name, e.g. "Parameter" or a subclass's name
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def numel(self) -> int:
        """The number of elements."""
        return math.prod(self.shape)

    def describe(self) -> str:
        """`a float32 tensor of shape (3, 1)`, in the current language."""
        return _("a {dtype} tensor of shape {shape}").format(dtype=self.dtype, shape=format_shape(self.shape))


def format_shape(shape: tuple[int, ...]) -> str:
    """`(3, 1)`, `(3,)` or `()`, as Python writes a tuple."""
    return str(tuple(shape))


def _dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def encode(value: Any, depth: int = 0) -> Any:
    """Plain-data form of a probe's result (worker side). Raises EncodingError when impossible."""
    if depth > MAX_DEPTH:
        raise EncodingError("result nested too deeply")
    if value is None or type(value) in (bool, int, str):
        return value if type(value) is not str else value[:MAX_TEXT * 10]
    if type(value) is float:
        return _encode_float(value)
    if isinstance(value, torch.Tensor):
        return _encode_tensor(value)
    if isinstance(value, Raised):
        return {RAISED: {"call": value.call, "type": value.type, "message": value.message[:MAX_TEXT],
                         "function": value.function, "trail": value.trail[:MAX_TEXT], "file": value.file[:MAX_TEXT],
                         "line": value.line, "source": value.source[:MAX_TEXT], "examined": value.examined[:MAX_TEXT]}}
    if type(value) in (list, tuple):
        if len(value) > MAX_ITEMS:
            raise EncodingError("result has too many items")
        return [encode(item, depth + 1) for item in value]
    if type(value) in (set, frozenset):  # JSON has no sets: a sorted list of the members
        if len(value) > MAX_ITEMS:
            raise EncodingError("result has too many items")
        return sorted((encode(item, depth + 1) for item in value), key=repr)
    if type(value) is dict:
        if len(value) > MAX_ITEMS:
            raise EncodingError("result has too many items")
        return {str(key): encode(item, depth + 1) for key, item in value.items()}
    if isinstance(value, ProbeResult) and dataclasses.is_dataclass(value):
        return {name: encode(getattr(value, name), depth + 1) for name in field_names(value)}
    return {OBJECT: {"type": _type_name(value), "repr": _short_repr(value)}}


def _encode_float(value: float) -> Any:
    # JSON has no inf/nan; spell them as strings in a tagged form the judge turns back into floats.
    if math.isfinite(value):
        return value
    return {"$float": repr(value)}


def _encode_tensor(tensor: torch.Tensor) -> dict[str, Any]:
    # Read through the base class only: a subclass's __torch_function__ is bypassed where possible,
    # and whatever bytes come out are exactly as powerful as returning them.
    with torch._C.DisableTorchFunctionSubclass():
        plain = tensor.detach().as_subclass(torch.Tensor)
        if plain.is_complex():
            raise EncodingError("complex tensors are not supported")
        # A huge tensor (usually a broadcasting mistake) still reports its shape; its values stay behind.
        omitted = plain.numel() > MAX_TENSOR_ELEMENTS
        raw = b"" if omitted else plain.to(torch.float64).contiguous().reshape(-1).cpu().numpy().tobytes()
        return {TENSOR: {
            "omitted": omitted,
            "dtype": _dtype_name(tensor.dtype),
            "shape": list(tensor.shape),
            "data": base64.b64encode(raw).decode("ascii"),
            "requires_grad": bool(tensor.requires_grad),
            "is_leaf": bool(tensor.is_leaf),
            "grad_fn": type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else None,
            "kind": type(tensor).__name__,
        }}


def _type_name(value: Any) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ is the student's; say so and go on
        text = REPR_FAILED
    return text if len(text) <= 200 else text[:197] + "..."


def decode(data: Any, depth: int = 0) -> Any:
    """Judge side: rebuild plain data into judge-owned objects. Raises EncodingError if garbled."""
    if depth > MAX_DEPTH + 2:
        raise EncodingError("record nested too deeply")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode(item, depth + 1) for item in data]
    if type(data) is not dict:
        raise EncodingError(f"unexpected {type(data).__name__} in record")
    if len(data) == 1:
        (tag, body), = data.items()
        if tag == TENSOR:
            return _decode_tensor(body)
        if tag == RAISED:
            line = body.get("line", 0) if type(body) is dict else 0
            return Raised(call=_text(body, "call"), type=_text(body, "type"), message=_text(body, "message"),
                          function=_text(body, "function"), trail=_text(body, "trail"), file=_text(body, "file"),
                          line=line if type(line) is int and 0 <= line < 10**7 else 0, source=_text(body, "source"),
                          examined=_text(body, "examined"))
        if tag == OBJECT:
            return OtherObject(type=_text(body, "type"), repr=_text(body, "repr"))
        if tag == "$float":
            if body not in ("inf", "-inf", "nan"):
                raise EncodingError(f"bad float {body!r}")
            return float(body)
    return {str(key): decode(item, depth + 1) for key, item in data.items()}


def _text(body: Any, key: str) -> str:
    if type(body) is not dict or type(body.get(key, "")) is not str:
        raise EncodingError(f"bad field {key!r} in record")
    return body.get(key, "")[:MAX_TEXT]


def _decode_tensor(body: Any) -> TensorData:
    if type(body) is not dict:
        raise EncodingError("bad tensor record")
    shape = body.get("shape")
    if type(shape) is not list or not all(type(size) is int and 0 <= size for size in shape) or len(shape) > 8:
        raise EncodingError("bad tensor shape")
    numel = 0 if body.get("omitted") is True else math.prod(shape)
    if numel > MAX_TENSOR_ELEMENTS:
        raise EncodingError("tensor too large")
    raw = base64.b64decode(_text_raw(body, "data"), validate=True)
    if body.get("omitted") is True:
        values = torch.zeros(0, dtype=torch.float64)  # shape is known, values were too many to send
    elif len(raw) != 8 * numel:
        raise EncodingError(f"tensor has {len(raw)} bytes, shape {shape} needs {8 * numel}")
    else:
        values = torch.frombuffer(bytearray(raw), dtype=torch.float64).clone().reshape(shape) if numel else torch.zeros(shape, dtype=torch.float64)
    grad_fn = body.get("grad_fn")
    return TensorData(
        values=values,
        dtype=_text(body, "dtype"),
        shape=tuple(shape),
        requires_grad=body.get("requires_grad") is True,
        is_leaf=body.get("is_leaf") is True,
        grad_fn=grad_fn[:100] if type(grad_fn) is str else None,
        kind=_text(body, "kind") or "Tensor",
    )


def _text_raw(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if type(value) is not str:
        raise EncodingError(f"bad field {key!r} in record")
    return value
