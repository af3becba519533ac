"""The present stage: ranked documents as hits, with highlighted titles and snippets, in the one result shape
rendered as CLI text, JSON and HTML. Imports rank and below."""
