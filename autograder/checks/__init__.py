"""Hidden and public checks, one module per exercise (see autograder/harness for the vocabulary)."""
