"""Personal data: consent by purpose (read side), legal holds, export, erasure and retention of one person's records."""
