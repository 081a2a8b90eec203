"""Models of the candidates domain."""
