"""MkDocs integration: the plugin and the routing of MkDocs' own file writes."""

from generator.plugin.plugin import ReadingListPlugin

__all__ = ["ReadingListPlugin"]
