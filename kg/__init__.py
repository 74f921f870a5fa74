"""kg: a knowledge-graph builder for news about peace diplomacy."""

__version__ = "0.1.0"
