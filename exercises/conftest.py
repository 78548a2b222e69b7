"""Self-study set-up for `pytest exercises`: every check of each exercise runs on the learner's own module.

See autograder/selfstudy/plugin.py for the options (--visible-only, --check-seed).
"""

from autograder.selfstudy.plugin import *  # noqa: F403
