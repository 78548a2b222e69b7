"""The feedback page's style: each check's message wraps at the page's width.

nbgrader's feedback template shows a cell's output (and its code) in a `<pre>` that neither wraps nor
scrolls, so the end of a long line ("try: ...", the advice itself) was cut off at the right edge.
The template inlines whatever CSS the preprocessors leave in `resources["inlining"]["css"]`.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

WRAP_OUTPUTS = ("div.output_subarea pre, div.input_area pre { white-space: pre-wrap; overflow-wrap: anywhere; "
                "word-break: normal; }")


class WrapFeedbackOutputs(Preprocessor):
    """Adds one CSS rule to the feedback page: outputs wrap instead of running past the right edge."""

    enabled = Bool(True)

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        resources.setdefault("inlining", {}).setdefault("css", []).append(WRAP_OUTPUTS)
        return nb, resources
