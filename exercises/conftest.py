"""Self-study set-up for `pytest exercises`: the learner's own module is checked in-process.

See autograder/harness/selfstudy.py for the options (--all-checks, --check-seed).
"""

from autograder.harness.selfstudy import *  # noqa: F403
