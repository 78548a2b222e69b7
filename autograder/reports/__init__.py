"""Human-readable output: tables for the terminal (rich)."""
