"""Programme officers' portal pages: application queues, the application page, bulk actions, organisation verification."""
