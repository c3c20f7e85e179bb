"""Pure text functions: line numbering, diffs, anchoring. No Flask, no database, no IO."""
