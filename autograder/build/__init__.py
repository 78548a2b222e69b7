"""`course build`: one authored file per exercise becomes the stub, the checks' entry point,
the instructions and the nbgrader source notebook."""
