"""Check-worthy claims: which sentences of a document a fact-checker would check, and which
claims recur across documents and languages as variants of one."""

from narratrace.claims.grouping import ClaimGroup, ClaimGrouper
from narratrace.claims.model import Claim
from narratrace.claims.scorer import extract_claims
from narratrace.claims.stage import ClaimStage, claims_of, records

__all__ = ["Claim", "ClaimGroup", "ClaimGrouper", "ClaimStage", "claims_of", "extract_claims", "records"]
