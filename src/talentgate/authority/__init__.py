"""The immigration-authority hand-off: submissions, their push with retries, the pull, signed decision callbacks."""
