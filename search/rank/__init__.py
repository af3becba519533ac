"""The rank stage: an expanded query's scores over a snapshot, and its documents in order. Imports query and
below."""
