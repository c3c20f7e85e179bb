"""Full-text search over comments and sections (Whoosh; imported only here)."""
