"""nbgrader integration: the course's sandboxed checks in place of executing notebooks in a kernel."""
