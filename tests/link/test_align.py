"""Sentence alignment on real encoder output: translations, trimmed copies, merges, excerpts, reorders.

The WMT21 de-fr documents are human translations segment by segment, so the true
alignment of source and reference is the diagonal; other documents of the same test
set are news of the same days, the hard negatives. The small English/Spanish texts
written here keep the tests meaningful where the shared data is absent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narratrace.enrich.embeddings import calibrate, use_encoder
from narratrace.link.align import MERGE_COST, Alignment, align_monotonic, match_unordered

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
WMT_DE_FR = SHARED_DATA / "wmt21-parallel" / "newstest2021.de-fr.docs.jsonl"
# Calibrated USE similarity on WMT21 de-fr: 99.2% of true segment pairs reach 0.5,
# 0.05% of segment pairs from different documents do.
THRESHOLD = 0.5

EN = [
    "The city council of Valencia approved a new plan on Tuesday to reduce traffic in the historic centre.",
    "From next March, only residents, taxis and delivery vans will be allowed to drive through the old town.",
    "The mayor said the measure would cut air pollution by a third within two years.",
    "Shop owners fear that fewer visitors will come if parking becomes harder to find.",
    "The opposition called the plan rushed and demanded a public consultation before it takes effect.",
    "Three new bus lines will connect the suburbs with the centre every ten minutes.",
    "Cyclists will get twelve kilometres of protected lanes, paid for with European funds.",
    "A similar scheme in Pontevedra sharply reduced accidents over the past decade.",
]
ES = [
    "El ayuntamiento de Valencia aprobó el martes un nuevo plan para reducir el tráfico en el centro histórico.",
    "A partir del próximo marzo, solo los residentes, los taxis y las furgonetas de reparto podrán circular por el casco antiguo.",
    "El alcalde afirmó que la medida reducirá la contaminación del aire en un tercio en dos años.",
    "Los comerciantes temen que lleguen menos visitantes si resulta más difícil encontrar aparcamiento.",
    "La oposición calificó el plan de precipitado y exigió una consulta pública antes de su entrada en vigor.",
    "Tres nuevas líneas de autobús conectarán los barrios periféricos con el centro cada diez minutos.",
    "Los ciclistas contarán con doce kilómetros de carriles protegidos, financiados con fondos europeos.",
    "Un sistema similar en Pontevedra redujo drásticamente los accidentes durante la última década.",
]
# Same region and season, different story: what a same-topic non-copy looks like.
ES_OTHER = [
    "La sequía obliga a los agricultores de Andalucía a abandonar un tercio de sus cultivos de regadío.",
    "Los embalses de la cuenca del Guadalquivir están al veinte por ciento de su capacidad.",
    "El gobierno regional pidió ayudas de emergencia a Madrid y a Bruselas.",
    "Los olivareros calculan que la cosecha de este año será la más baja desde 1995.",
    "Varias cooperativas han anunciado despidos temporales hasta que vuelvan las lluvias.",
    "Los meteorólogos no esperan precipitaciones importantes antes de noviembre.",
]


@pytest.fixture(scope="module")
def encode() -> Callable[[list[str]], np.ndarray]:
    encoder = use_encoder(2)
    cache: dict[str, np.ndarray] = {}

    def vectors(sentences: list[str]) -> np.ndarray:
        missing = [s for s in dict.fromkeys(sentences) if s not in cache]
        if missing:
            cache.update(zip(missing, encoder.passages(missing)))
        return np.stack([cache[s] for s in sentences]).astype(np.float16)

    return vectors


def use_calibration(cosines: np.ndarray) -> np.ndarray:
    return calibrate(use_encoder(2), cosines)


def align(encode, a: list[str], b: list[str], method=align_monotonic) -> Alignment:
    return method(encode(a), encode(b), [len(s) for s in a], [len(s) for s in b], use_calibration, THRESHOLD)


def share(sentences: list[str], rows: list[int]) -> float:
    return sum(len(sentences[i]) for i in rows) / sum(len(s) for s in sentences)


@pytest.fixture(scope="module")
def wmt() -> list[dict]:
    if not WMT_DE_FR.is_file():
        pytest.skip(f"{WMT_DE_FR} absent: WMT21 de-fr documents live in the shared data beside the checkout")
    return [json.loads(line) for line in WMT_DE_FR.read_text(encoding="utf-8").splitlines()]


# Own parallel texts: no shared data needed.


def test_english_spanish_translation_aligns_sentence_by_sentence(encode) -> None:
    result = align(encode, EN, ES)
    assert [(p.a, p.b) for p in result.pairs] == [([i], [i]) for i in range(len(EN))]
    assert result.coverage_a == result.coverage_b == 1.0
    assert result.quality >= 0.8 and result.longest_run == len(EN)
    assert all(p.similarity >= THRESHOLD for p in result.pairs)


def test_dropped_paragraph_is_left_unaligned(encode) -> None:
    trimmed = ES[:3] + ES[5:]
    result = align(encode, EN, trimmed)
    assert result.unaligned_a == [3, 4]
    assert result.unaligned_b == []
    assert result.coverage_a == pytest.approx(1 - share(EN, [3, 4]))
    assert result.coverage_b == 1.0


def test_translator_merge_is_one_block(encode) -> None:
    merged = ES[:2] + [ES[2] + " " + ES[3]] + ES[4:]
    result = align(encode, EN, merged)
    assert ([2, 3], [2]) in [(p.a, p.b) for p in result.pairs]
    assert result.coverage_a == result.coverage_b == 1.0
    reverse = align(encode, merged, EN)
    assert ([2], [2, 3]) in [(p.a, p.b) for p in reverse.pairs]


def test_same_topic_other_story_is_not_a_copy(encode) -> None:
    result = align(encode, EN, ES_OTHER)
    assert max(result.coverage_a, result.coverage_b) < 0.3
    assert result.longest_run < 3


def test_excerpt_inside_other_article_is_a_run(encode) -> None:
    host = ES_OTHER[:3] + ES[2:6] + ES_OTHER[3:]
    result = align(encode, EN, host)
    assert result.longest_run >= 3
    inside = [(p.a, p.b) for p in result.pairs if p.b[0] in range(3, 7)]
    assert inside == [([2], [3]), ([3], [4]), ([4], [5]), ([5], [6])]
    assert result.coverage_b < 0.6


def test_reordered_copy_with_boilerplate_matches_every_sentence(encode) -> None:
    order = [5, 0, 7, 2, 1, 6, 3, 4]
    edited = [EN[i].replace(" on Tuesday", "").replace("sharply ", "") for i in order]
    copy = ["Photo: Reuters"] + edited + ["Follow us on Twitter for more local news every day."]
    result = align(encode, EN, copy, method=match_unordered)
    assert sorted((p.a[0], p.b[0]) for p in result.pairs) == [(i, order.index(i) + 1) for i in range(len(EN))]
    assert result.unaligned_a == [] and result.unaligned_b == [0, len(copy) - 1]
    assert result.coverage_a == 1.0 and result.quality > 0.9
    monotonic = align(encode, EN, copy)
    assert monotonic.coverage_a < 0.7


# WMT21 de-fr: real translated news.


def test_wmt_whole_translations_align_on_the_true_segments(wmt, encode) -> None:
    for doc in (wmt[0], wmt[2], wmt[3]):
        result = align(encode, doc["src_segments"], doc["ref_segments"])
        assert min(result.coverage_a, result.coverage_b) >= 0.9, doc["docid"]
        exact = sum(p.a == p.b for p in result.pairs)
        assert exact >= 0.9 * len(doc["src_segments"]), doc["docid"]
        assert result.quality >= 0.8, doc["docid"]


def test_wmt_dropped_paragraph_shows_in_unaligned_a(wmt, encode) -> None:
    src, ref = wmt[2]["src_segments"], wmt[2]["ref_segments"]
    dropped = [8, 9, 10, 11]
    result = align(encode, src, ref[:8] + ref[12:])
    assert set(dropped) <= set(result.unaligned_a)
    assert result.coverage_a == pytest.approx(1 - share(src, dropped), abs=0.05)
    assert result.coverage_a <= 1 - share(src, dropped) + 1e-9
    assert result.coverage_b >= 0.9


def test_wmt_merged_segments_give_a_two_to_one_block(wmt, encode) -> None:
    src, ref = wmt[0]["src_segments"], wmt[0]["ref_segments"]
    merged = ref[:3] + [ref[3] + " " + ref[4]] + ref[5:]
    result = align(encode, src, merged)
    assert ([3, 4], [3]) in [(p.a, p.b) for p in result.pairs]
    assert min(result.coverage_a, result.coverage_b) >= 0.9


def test_wmt_different_articles_of_the_same_days_do_not_align(wmt, encode) -> None:
    docs = (wmt[0], wmt[1], wmt[2], wmt[3])
    for a in docs:
        for b in docs:
            if a is b:
                continue
            result = align(encode, a["src_segments"], b["ref_segments"])
            assert max(result.coverage_a, result.coverage_b) < 0.3, (a["docid"], b["docid"])
            assert result.quality * max(result.coverage_a, result.coverage_b) < 0.2
            assert result.longest_run < 3
            assert result.mutual_run < 3


def test_wmt_half_copy_blocks_are_mutually_best_unlike_other_articles(wmt, encode) -> None:
    src, ref = wmt[2]["src_segments"], wmt[2]["ref_segments"]
    half = [s for i, s in enumerate(ref) if i % 4 < 2]
    result = align(encode, src, half)
    assert result.mutual == len(result.pairs) >= 5
    assert result.longest_run < len(result.pairs)
    for other in (wmt[0], wmt[1], wmt[3]):
        assert align(encode, other["src_segments"], half).mutual <= 3, other["docid"]


def test_wmt_translated_excerpt_embedded_in_another_article_is_a_run(wmt, encode) -> None:
    src, host = wmt[0]["src_segments"], wmt[3]["ref_segments"]
    excerpt = wmt[0]["ref_segments"][2:6]
    mixed = host[:13] + excerpt + host[13:]
    result = align(encode, src, mixed)
    assert result.longest_run >= 3
    assert [p.b[0] for p in result.pairs if p.a[0] in range(2, 6)] == [13, 14, 15, 16]
    assert result.coverage_b < 0.3
    assert result.mutual_run >= 4


# Shapes and scale: no encoder needed.


def unit_rows(rng: np.random.Generator, n: int, d: int = 512) -> np.ndarray:
    x = rng.standard_normal((n, d))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float16)


def identity(cosines: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(cosines, dtype=np.float32), 0.0, 1.0)


@pytest.mark.parametrize("method", [align_monotonic, match_unordered])
@pytest.mark.parametrize("n,m", [(0, 0), (0, 3), (3, 0), (1, 1), (1, 4), (4, 1)])
def test_empty_and_single_sentence_documents(method, n: int, m: int) -> None:
    rng = np.random.default_rng(n * 10 + m)
    va, vb = unit_rows(rng, n), unit_rows(rng, m)
    if n and m:
        vb[0] = va[0]
    result = method(va, vb, [50] * n, [40] * m, identity, 0.5)
    aligned = 1 if n and m else 0
    assert [(p.a, p.b) for p in result.pairs] == [([0], [0])] * aligned
    assert result.unaligned_a == list(range(aligned, n))
    assert result.unaligned_b == list(range(aligned, m))
    assert result.coverage_a == pytest.approx(aligned / n if n else 0.0)
    assert result.quality == pytest.approx(float(aligned), abs=1e-3)
    assert result.longest_run == aligned


def test_empty_vectors_without_dimensions_are_accepted() -> None:
    result = align_monotonic(np.zeros((0,)), np.zeros((2, 8)), [], [10, 20], identity, 0.5)
    assert result.pairs == [] and result.unaligned_b == [0, 1] and result.coverage_b == 0.0


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        align_monotonic(np.eye(3), np.eye(3), [1, 2], [1, 2, 3], identity, 0.5)


def test_two_thousand_sentences_each_side_is_fast() -> None:
    rng = np.random.default_rng(7)
    a = unit_rows(rng, 2000)
    noisy = a.astype(np.float32) + rng.standard_normal(a.shape).astype(np.float32) * 0.02
    copy = np.delete(noisy, np.arange(0, 2000, 10), axis=0)[:2000]
    b = np.vstack([copy, unit_rows(rng, 2000 - len(copy))]).astype(np.float16)
    lengths = rng.integers(20, 300, 2000)
    for vb in (unit_rows(rng, 2000), b):
        start = time.perf_counter()
        result = align_monotonic(a, vb, lengths, lengths, identity, 0.5)
        elapsed = time.perf_counter() - start
        print(f"align_monotonic 2000x2000: {elapsed:.2f} s, {len(result.pairs)} blocks")
        assert elapsed < 10
    assert len(result.pairs) >= 1700 and result.longest_run >= 1700


def best_gain(sim11, sim12, sim21, la, lb, threshold) -> float:
    """Textbook O(n·m) recursion over all five moves, the reference the vectorised rows must reach."""
    n, m = len(la), len(lb)
    h = np.zeros((n + 1, m + 1))
    for i in range(n + 1):
        for j in range(m + 1):
            options = [h[i - 1, j] if i else 0.0, h[i, j - 1] if j else 0.0]
            if i and j:
                options.append(h[i - 1, j - 1] + (sim11[i - 1, j - 1] - threshold) * min(la[i - 1], lb[j - 1]))
            if i and j >= 2:
                gain = (sim12[i - 1, j - 2] - threshold - MERGE_COST) * min(la[i - 1], lb[j - 2] + lb[j - 1])
                options.append(h[i - 1, j - 2] + gain)
            if i >= 2 and j:
                gain = (sim21[i - 2, j - 1] - threshold - MERGE_COST) * min(la[i - 2] + la[i - 1], lb[j - 1])
                options.append(h[i - 2, j - 1] + gain)
            h[i, j] = max(options)
    return float(h[n, m])


def merged(v: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    x = v[:-1] * lengths[:-1, None] + v[1:] * lengths[1:, None]
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(0, 10_000), st.sampled_from([0.2, 0.5, 0.7]))
def test_monotonic_alignment_is_optimal_and_well_formed(n: int, m: int, seed: int, threshold: float) -> None:
    rng = np.random.default_rng(seed)
    va = rng.standard_normal((n, 6)).astype(np.float32)
    vb = (va[rng.integers(0, n, m)] + rng.standard_normal((m, 6)) * 0.4).astype(np.float32)
    va, vb = (v / np.linalg.norm(v, axis=1, keepdims=True) for v in (va, vb))
    la, lb = rng.integers(1, 200, n).astype(float), rng.integers(1, 200, m).astype(float)
    result = align_monotonic(va, vb, la, lb, identity, threshold)
    sim12 = identity(va @ merged(vb, lb).T) if m > 1 else np.zeros((n, 0))
    sim21 = identity(merged(va, la) @ vb.T) if n > 1 else np.zeros((0, m))
    expected = best_gain(identity(va @ vb.T), sim12, sim21, la, lb, threshold)
    cost = [MERGE_COST if len(p.a) + len(p.b) > 2 else 0.0 for p in result.pairs]
    got = sum((p.similarity - threshold - c) * min(la[p.a].sum(), lb[p.b].sum()) for p, c in zip(result.pairs, cost))
    assert got == pytest.approx(expected, rel=1e-4, abs=1e-3)
    assert all(p.similarity >= threshold and len(p.a) + len(p.b) <= 3 for p in result.pairs)
    flat_a = [i for p in result.pairs for i in p.a]
    flat_b = [j for p in result.pairs for j in p.b]
    assert flat_a == sorted(set(flat_a)) and flat_b == sorted(set(flat_b))
    assert sorted(flat_a + result.unaligned_a) == list(range(n))
    assert sorted(flat_b + result.unaligned_b) == list(range(m))
    assert result.coverage_a == pytest.approx(la[flat_a].sum() / la.sum())
