"""The query stage: query text read as meant (corrections), parsed into clauses, expanded (lemmas, names,
translations), and its filters. Imports the store and below."""
