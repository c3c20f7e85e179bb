"""Pure text functions: lines, diffs, anchoring. No Flask, no database, no IO."""
