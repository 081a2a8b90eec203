"""Models of the hosts domain."""
