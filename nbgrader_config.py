"""nbgrader configuration: this repository is an nbgrader course directory (assignment `linreg`).

Autograding runs the course's hidden checks in its sandbox instead of executing notebooks in a
kernel; see autograder/nbgrader_plugin/.
"""

from autograder.nbgrader_plugin.config import configure

configure(get_config())  # type: ignore[name-defined]  # noqa: F821  (nbgrader provides get_config)
