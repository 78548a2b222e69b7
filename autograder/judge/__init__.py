"""The judge: runs the hidden checks (pytest) against submissions it never imports itself."""
