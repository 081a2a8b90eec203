"""Host organisations, their staff, opportunities and offers."""
