"""Framework-free identity matching: the blind index of document numbers, name search keys across
scripts, and the scoring of a suspected duplicate pair. No Django: plain strings and dates in, plain values out."""

from talentgate.engines.identity.documents import blind_index, normalise_document_number
from talentgate.engines.identity.names import fold_name, name_search_key, name_tokens, search_terms
from talentgate.engines.identity.similarity import DuplicateEvidence, PersonFacts, compare_people, email_local_part

__all__ = [
    "DuplicateEvidence",
    "PersonFacts",
    "blind_index",
    "compare_people",
    "email_local_part",
    "fold_name",
    "name_search_key",
    "name_tokens",
    "normalise_document_number",
    "search_terms",
]
