"""`suggest`: candidate papers for the curators (watch file, arXiv, ranking, report, drafts)."""
