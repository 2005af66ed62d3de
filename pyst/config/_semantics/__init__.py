"""Layer 2 of pyst.config, meaning: Asterisk's loader re-enacted over parsed files
(templates, ``(+)`` filters, ``+=``, ``#include``), and the model it produces.
Imports only the syntax layer."""
