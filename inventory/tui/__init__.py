"""The terminal UI (Textual). Thin: every figure it shows comes from inventory.views and the
pipeline; every export-derived string goes through inventory.text.sanitise_text into rich Text."""
