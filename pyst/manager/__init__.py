"""pyst.manager (work in progress)."""
