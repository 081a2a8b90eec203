"""Models of the programmes domain."""
