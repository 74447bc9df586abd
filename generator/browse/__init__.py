"""The browse page's static index (see :mod:`.index`)."""

from .index import browse_files

__all__ = ["browse_files"]
