"""Matching in the platform: runs of the stable allocation over a programme's invited applications and the open
opportunities, the ranked lists candidates and hosts submit for a run, and the stored, explained results."""
