"""inventory: an offline inventory of a LinkedIn data export and its AI-training exposure."""

__version__ = "0.1.0"
