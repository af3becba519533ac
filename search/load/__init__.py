"""The load stage: files and records -> documents. Decoding, the formats (text, Markdown, HTML, JSON Lines),
an article's main text, dates. Imports analysis and below."""
