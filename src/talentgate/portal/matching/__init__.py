"""Matching pages: officers' runs with progress and results, hosts' ranked candidates and ranked lists, candidates'
placements and ranked lists."""
