"""Probes for the learning_rate exercise.

Non-finite numbers travel from the judge as the strings "inf", "-inf" and "nan" (plain JSON has
no such numbers); `float()` turns them back. A returned figure is read here, in the worker, into
plain data: its Axes, each Axes' y scale, its lines (label, legend entries and (x, y) points) and
the texts of the legends it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

import torch

from course_checks.probes import ProbeResult, attempt, call, tensor

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.legend import Legend


def _pyplot() -> ModuleType:
    """matplotlib's pyplot without a display, imported on first use: the worker (its zygote) needs it,
    the judge, which imports this module for its records, does not (half a second of CPU)."""
    import matplotlib

    matplotlib.use("Agg")  # no display where checks run; must come before pyplot is imported
    import matplotlib.pyplot as pyplot

    return pyplot


@dataclass(frozen=True)
class Curves(ProbeResult):
    """What each loss_curve call returned, and whether features and labels still hold their values."""

    curves: list[object]
    inputs_unchanged: bool


@dataclass(frozen=True)
class Scripted(ProbeResult):
    """What best_lr returned with loss_curve replaced, and how often it called it (0: it does not use it)."""

    result: object
    calls: int


@dataclass(frozen=True)
class Line(ProbeResult):
    """One line of an Axes: its label, the legend entries that stand for it, and its (x, y) points."""

    label: str
    legend: list[str]
    xy: list[list[float]]


@dataclass(frozen=True)
class AxesDrawn(ProbeResult):
    """One Axes: the y axis' scale and its lines."""

    yscale: str
    lines: list[Line]


@dataclass(frozen=True)
class Drawing(ProbeResult):
    """What plot_loss_curves returned: its type's name, and for a Figure its Axes and the legend texts it shows."""

    kind: str
    axes: list[AxesDrawn]
    legend: list[str]


def warm_up() -> None:
    """A log-scaled plot with a legend (torch.optim is the zygote's own warm-up)."""
    pyplot = _pyplot()
    figure, axes = pyplot.subplots()
    axes.semilogy([1, 2], [1.0, 0.5], label="0.1")
    axes.legend()
    pyplot.close(figure)


def loss_curves(module: ModuleType, features: list[Any], labels: list[Any], runs: list[dict[str, Any]]) -> Curves:
    """`loss_curve(features, labels, **run)` for each run in order, on the same tensors; and whether
    those tensors still hold their values afterwards."""
    X, y = tensor(features), tensor(labels)
    X_before, y_before = X.clone(), y.clone()
    curves = [call(module, "loss_curve", X, y, **run) for run in runs]
    return Curves.of(curves=curves, inputs_unchanged=torch.equal(X, X_before) and torch.equal(y, y_before))


def classify(module: ModuleType, cases: list[dict[str, Any]]) -> list[Any]:
    """`classify_run(history)` (with `tol=` where the case has one) for each case; a raise comes back
    as a Raised record, so one case cannot hide the others."""
    results = []
    for case in cases:
        history = [float(value) for value in case["history"]]
        options = {"tol": case["tol"]} if case.get("tol") is not None else {}
        results.append(attempt(module, "classify_run", history, **options))
    return results


def best(module: ModuleType, features: list[Any], labels: list[Any], candidates: list[float], num_epochs: int) -> Any:
    """`best_lr(features, labels, candidates, num_epochs=num_epochs)`."""
    return call(module, "best_lr", tensor(features), tensor(labels), list(candidates), num_epochs=num_epochs)


def best_scripted(module: ModuleType, curves: list[list[Any]], candidates: list[float], num_epochs: int) -> Scripted:
    """best_lr with the loss_curve it calls replaced, for this call only, by one that returns the given
    curve for each learning rate; and how often it was called (0: best_lr does not use loss_curve)."""
    scripted = {float(lr): [float(value) for value in history] for lr, history in curves}
    calls: list[float] = []

    def loss_curve(features: Any, labels: Any, lr: float, num_epochs: int = 3, batch_size: int = 10,
                   seed: int = 0) -> list[float]:
        calls.append(float(lr))
        return list(scripted[float(lr)])

    function = getattr(module, "best_lr", None)
    namespace = getattr(function, "__globals__", None)
    if not isinstance(namespace, dict) or "loss_curve" not in namespace:
        return Scripted.of(result=None, calls=0)
    original = namespace["loss_curve"]
    namespace["loss_curve"] = loss_curve
    try:
        result = call(module, "best_lr", tensor([[0.0, 0.0]]), tensor([[0.0]]), list(candidates), num_epochs=num_epochs)
    finally:
        namespace["loss_curve"] = original
    return Scripted.of(result=result, calls=len(calls))


def plot(module: ModuleType, curves: list[list[Any]]) -> Drawing:
    """`plot_loss_curves({lr: history, ...})` for the [lr, history] pairs, and what the result draws."""
    pyplot = _pyplot()
    already_open = set(pyplot.get_fignums())
    try:
        with _LegendRecorder() as legends:
            figure = call(module, "plot_loss_curves", {float(lr): [float(value) for value in history]
                                                       for lr, history in curves})
        return _describe(figure, legends)
    finally:
        # Figures made through pyplot stay registered (and in memory) until closed.
        for number in set(pyplot.get_fignums()) - already_open:
            pyplot.close(number)


class _LegendRecorder:
    """Remembers which artist each legend entry stands for: a Legend keeps only copies of its handles,
    so `ax.legend(handles, labels)` cannot be traced back to the lines afterwards."""

    def __init__(self) -> None:
        from matplotlib.legend import Legend

        self.entries: dict[Legend, list[tuple[Any, str]]] = {}
        self._legend = Legend
        self._original = Legend.__init__

    def __enter__(self) -> _LegendRecorder:
        original, entries = self._original, self.entries

        def recording_init(legend: Legend, parent: Any, handles: Any, labels: Any, *args: Any, **kwargs: Any) -> None:
            handles, labels = list(handles), list(labels)
            entries[legend] = [(handle, str(label)) for handle, label in zip(handles, labels)]
            original(legend, parent, handles, labels, *args, **kwargs)

        self._legend.__init__ = recording_init  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._legend.__init__ = self._original  # type: ignore[method-assign]


def _describe(figure: Any, legends: _LegendRecorder) -> Drawing:
    from matplotlib.figure import Figure

    if not isinstance(figure, Figure):
        return Drawing.of(kind=type(figure).__name__, axes=[], legend=[])
    shown = [legend for legend in [*(ax.get_legend() for ax in figure.axes), *figure.legends] if legend is not None]
    entries = [entry for legend in shown for entry in legends.entries.get(legend, [])]
    return Drawing.of(kind="Figure", axes=[_describe_axes(ax, entries) for ax in figure.axes],
                      legend=[text for _, text in entries])


def _describe_axes(ax: Axes, entries: list[tuple[Any, str]]) -> AxesDrawn:
    lines = [Line.of(label=str(line.get_label()), legend=[text for handle, text in entries if handle is line],
                     xy=[[float(x), float(y)] for x, y in line.get_xydata()])
             for line in ax.get_lines()]
    return AxesDrawn.of(yscale=str(ax.get_yscale()), lines=lines)
