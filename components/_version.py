"""The package's version: the one place it is written (pyproject.toml reads it, the hosted provider too)."""

__version__ = "0.1.0"
