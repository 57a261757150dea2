"""Stages that complete a `Document` after ingest: language, sentences, and later entities, citations, vectors."""
