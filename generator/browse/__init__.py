"""The browse page's static index (see :mod:`.index`)."""

from generator.browse.index import browse_files

__all__ = ["browse_files"]
