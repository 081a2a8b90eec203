"""Programmes, priority sectors and targets, applications and their pre-offer lifecycle."""
