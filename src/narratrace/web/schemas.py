"""The JSON shapes of the API; field names follow the export contract of `../shared/CLI.md`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class DocumentRecord(BaseModel):
    id: str
    origin: str
    url: str | None
    outlet: str | None
    title: str | None
    published: str | None = Field(description="ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD")
    published_precision: Literal["year", "month", "day"] | None
    language: str | None
    n_sentences: int


class DocumentPage(BaseModel):
    documents: list[DocumentRecord]
    next: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


class SentenceRecord(BaseModel):
    index: int
    start: int
    end: int
    paragraph: int
    text: str


class LinkRecord(BaseModel):
    a: str
    b: str
    kind: Literal["duplicate", "translation"]
    score: float
    coverage_a: float
    coverage_b: float
    direction: Literal["a->b", "b->a"] | None
    evidence: dict[str, Any]


class DocumentDetail(DocumentRecord):
    published_evidence: str | None
    text: str
    sentences: list[SentenceRecord]
    links: list[LinkRecord]


class LinkList(BaseModel):
    links: list[LinkRecord]


class SearchResult(BaseModel):
    id: str
    title: str | None
    language: str | None
    score: float
    semantic: float
    keyword: float
    evidence: str


class SearchResults(BaseModel):
    results: list[SearchResult]


class CompareRow(BaseModel):
    mark: Literal["=", "-", "+"] = Field(description='"=" aligned, "-" only in a, "+" only in b')
    a: str
    b: str
    similarity: float | None


class Comparison(BaseModel):
    a: DocumentRecord
    b: DocumentRecord
    compared_by: str
    coverage_a: float
    coverage_b: float
    quality: float
    rows: list[CompareRow]


class IngestedFile(BaseModel):
    file: str = Field(description="the uploaded file name as sent")
    id: str
    title: str | None
    language: str | None


class RejectedFile(BaseModel):
    file: str
    reason: str


class IngestReport(BaseModel):
    read: int
    new: int
    duplicates: int
    links: int
    documents: list[IngestedFile]
    rejected: list[RejectedFile]


class ClusterSummary(BaseModel):
    id: str
    level: Literal["story", "narrative"]
    label: str
    size: int
    first_seen: str | None
    last_seen: str | None
    languages: list[str]


class ClusterList(BaseModel):
    clusters: list[ClusterSummary]


class ClusterMember(BaseModel):
    document: DocumentRecord
    score: float | None = Field(description="how strongly the document joined")
    evidence: dict[str, Any] = Field(description="why it joined: shared names, the nearest members, the link")


class ClusterDetail(ClusterSummary):
    members: list[ClusterMember] = Field(description="one page of members, in date order, undated last")
    next: str | None = Field(description="pass as `cursor` for the next page of members; null on the last page")
    links: list[LinkRecord] = Field(description="copies and translations among this page's members")
    details: dict[str, Any] = Field(description="timeline (month -> language -> documents), events, outlets, stories")


class ClaimRecord(BaseModel):
    id: str
    document: str
    text: str
    score: float = Field(description="check-worthiness in [0, 1]")
    start: int
    end: int
    group: str | None = Field(description="the claim's group across documents and languages; null until grouped")
    language: str | None
    evidence: dict[str, Any] = Field(description="each feature's part of the score; how the claim joined its group")


class ClaimList(BaseModel):
    claims: list[ClaimRecord]


class MatchRecord(BaseModel):
    claim: str
    factcheck: str
    document: str
    score: float
    state: Literal["suggested", "confirmed", "rejected"]
    evidence: dict[str, Any] = Field(description="both texts, shared words, BM25 and each encoder's cosine, rating, URL")


class MatchList(BaseModel):
    matches: list[MatchRecord]


class Review(BaseModel):
    claim: str = Field(min_length=1, max_length=200)
    factcheck: str = Field(min_length=1, max_length=500)
    state: Literal["suggested", "confirmed", "rejected"]
