"""The fact-check database: import (ClaimReview, Google Fact Check Tools, CSV/TSV) and retrieval."""
