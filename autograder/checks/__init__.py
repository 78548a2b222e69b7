"""Hidden and public checks, one module per exercise (the vocabulary: course_checks/harness/)."""
