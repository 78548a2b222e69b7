"""The course's grading and build tooling (the engine); the student runtime is the `course_checks` package.

Kept empty on purpose: the sandboxed worker imports the worker side of `autograder.sandbox` and must
not pull in anything else of the package (checks, solutions, the judge).
"""
