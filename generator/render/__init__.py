"""Pure rendering: Catalog in, page contents out. Nothing here touches disk."""
