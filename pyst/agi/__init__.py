"""pyst.agi (work in progress)."""
