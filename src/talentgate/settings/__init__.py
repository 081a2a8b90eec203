"""Settings package: ``base`` is the one real configuration, read from the environment."""
