"""Fit of candidates to opportunities: an explained score per pair and top-k retrieval by sparse matrix products.

Public API::

    from talentgate.engines.fit import (
        CandidateProfile, Opportunity, FitWeights,   # plain inputs
        explain_fit, FitExplanation, FitReason,      # one pair, with reasons (codes + parameters)
        encode_pool, FitArrays,                      # a pool as CSR matrices and arrays
        top_opportunities_for, top_candidates_for,   # one query, top-k
        batch_top_opportunities,                     # every candidate, top-k, in chunks
    )
"""

from talentgate.engines.fit.arrays import FitArrays, encode_pool
from talentgate.engines.fit.explain import REASON_CODES, FitExplanation, FitReason, explain_fit
from talentgate.engines.fit.model import CEFR_LEVELS, DEGREE_LEVELS, CandidateProfile, FitWeights, Opportunity
from talentgate.engines.fit.retrieval import (
    TopK,
    batch_top_opportunities,
    score_candidate_row,
    top_candidates_for,
    top_opportunities_for,
)

__all__ = [
    "CEFR_LEVELS",
    "DEGREE_LEVELS",
    "REASON_CODES",
    "CandidateProfile",
    "FitArrays",
    "FitExplanation",
    "FitReason",
    "FitWeights",
    "Opportunity",
    "TopK",
    "batch_top_opportunities",
    "encode_pool",
    "explain_fit",
    "score_candidate_row",
    "top_candidates_for",
    "top_opportunities_for",
]
