"""Documents feature."""
