"""Database plumbing: connection setup, the SQLite write queue, prepared statements, WAL checkpoints."""
