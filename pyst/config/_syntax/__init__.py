"""Layer 1 of pyst.config, syntax: the lexer, one node per physical line with its named
pieces, and the split of a file into sections.  Imports nothing above it."""
