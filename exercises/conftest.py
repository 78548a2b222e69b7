"""Self-study set-up for `pytest exercises`: every check of each exercise runs on the learner's own module.

See autograder/harness/selfstudy.py for the options (--visible-only, --check-seed).
"""

from autograder.harness.selfstudy import *  # noqa: F403
