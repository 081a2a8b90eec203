"""Competitions: calls, submissions, reviewer conflicts and assignment, reviews, panel ranking and awards."""
