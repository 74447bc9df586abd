"""The reading-list generator: load -> check -> model -> render -> write."""

__version__ = "0.1.0"
