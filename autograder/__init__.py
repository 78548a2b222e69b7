"""The course's grading and build tooling.

Kept empty on purpose: the sandboxed worker imports `autograder.probes` and must not pull in
anything else of the package (checks, solutions, the judge).
"""
