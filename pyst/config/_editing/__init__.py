"""Layer 3 of pyst.config, editing: the document and its sections, house style for new
lines, the meaning guard and atomic saves.  Built on the syntax and meaning layers."""
