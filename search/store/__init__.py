"""The store: the only package that imports Whoosh. Generations on disk (written under one lock, published
atomically), the schema, the writers, and a generation's read-only snapshot: postings, statistics, stored
fields, positions and stories. Imports load and below."""
