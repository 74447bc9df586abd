"""Stage 2, the rules: per record (:mod:`.record`), for the vocabulary files (:mod:`.vocabulary`),
and across records (:mod:`.across`: duplicates, vocabulary use)."""
