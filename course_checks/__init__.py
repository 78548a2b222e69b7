"""The course's student runtime: the visible checks in a notebook, the check harness, and the probes.

This package is what a released assignment carries, copied verbatim next to its notebooks, and what
the grading engine builds on; it imports nothing of the engine (`autograder`), only the standard
library, torch, numpy, matplotlib and pytest. A notebook uses `check` and `hint`:

    from course_checks import check, hint
    check("huber")

- `probes/`: worker side, what runs next to the student's code (also in the sandbox);
- `harness/`: the checks' vocabulary, the one way they run (`session`, `runner`) and their messages;
- `notebook.py`: `check` and `hint`; `i18n.py`: the language of learner-facing texts.

`check` and `hint` are imported on first use, so that the sandboxed worker, which imports only
`course_checks.probes`, loads neither pytest nor the harness.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from course_checks.notebook import check, hint

__all__ = ["check", "hint"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from course_checks import notebook

        return getattr(notebook, name)
    raise AttributeError(f"module 'course_checks' has no attribute {name!r}")
