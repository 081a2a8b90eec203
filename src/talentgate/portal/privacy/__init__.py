"""Personal-data pages: the candidate's export and erasure request; staff's exports, erasure and legal holds."""
