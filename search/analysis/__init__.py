"""The analysis stage: text -> index terms. Words with their scripts, Russian lemmas (pymorphy3), English stems
(Snowball), stop words, proper-name keys, the bilingual lexicon, and the readings of text typed in Latin letters
or with the other keyboard layout. Imports only `search.language`, `search.text` and `search.errors`."""
