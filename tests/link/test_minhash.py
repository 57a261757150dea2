from __future__ import annotations

import random
import time

import numpy as np
import pytest

from narratrace.link.minhash import NUM_PERM, NearDuplicateIndex, is_empty, jaccard, shingles, signature

HEADLINE = "Floods cut off three villages in the Ostra valley"
BYLINE = "By Maria Keller, regional correspondent"
PARAGRAPHS = [
    "Heavy rain that began on Tuesday evening has cut off three villages in the Ostra valley, where the river "
    "burst its banks at two points overnight and washed away the only road bridge linking them to the town.",
    "Emergency services said about 1,200 residents were without electricity on Wednesday morning and that "
    "helicopters had been used to reach an elderly couple trapped on the upper floor of their farmhouse.",
    "The regional governor, who visited the valley in the afternoon, promised that a temporary bridge would be "
    "built within ten days and said the army had been asked to send engineers and heavy equipment.",
    "Farmers in the lower valley told reporters that the water had destroyed most of the maize harvest, which "
    "had been expected to be the best in a decade after a mild spring and a wet but warm summer.",
    "Meteorologists warned that another band of rain was expected to reach the region on Friday, and that the "
    "ground was already too saturated to absorb it, raising the risk of landslides on the steeper slopes.",
    "Local officials have opened the school gymnasium in the town as a shelter, where volunteers from the Red "
    "Cross were handing out blankets, dry clothes and hot meals to families who had left their homes.",
    "Residents said the river had not flooded this badly since 1987, when a similar storm swept away two houses "
    "and left the valley without a road connection for almost a month.",
    "The governor said an inquiry would examine why the flood barriers built after that disaster had failed, "
    "and whether the money set aside for their maintenance had been spent as planned.",
]
ORIGINAL = "\n\n".join([HEADLINE, BYLINE, *PARAGRAPHS])
REPUBLISHED = "\n".join(
    [
        "Ostra valley: villages isolated after night of storms",
        "Staff and agencies, 14 September",
        *PARAGRAPHS[:4],
        "Read also: How to prepare your home for a flood",
        *PARAGRAPHS[4:-1],
    ]
)
REORDERED = "\n\n".join([HEADLINE, BYLINE, *PARAGRAPHS[3:6], *PARAGRAPHS[:3], *PARAGRAPHS[6:]])
SAME_STORY = (
    "Three villages in the Ostra valley remained isolated on Wednesday after overnight flooding destroyed the "
    "bridge that connects them with the rest of the region. Rescue teams used helicopters to evacuate several "
    "people, among them two pensioners stranded in their house. According to the power company, some 1,200 "
    "people have no electricity. The governor travelled to the area and announced that military engineers will "
    "install a provisional bridge. Forecasters expect more rain at the end of the week and fear landslides. "
    "The last comparable flood in the valley dates back to 1987. An investigation into the failure of the flood "
    "defences has been announced, while the Red Cross is caring for evacuated families in a school gym."
)


def test_signature_is_uint64_and_stable() -> None:
    sig = signature(ORIGINAL)
    assert sig.dtype == np.uint64 and sig.shape == (NUM_PERM,)
    assert np.array_equal(sig, signature(ORIGINAL))
    # Stored signatures are compared with new ones: the shingling, seed and scheme must not drift.
    assert signature("the river burst its banks at two points overnight")[:3].tolist() == [
        4252215249772634078, 1800707086358456767, 4275795105518148326,
    ]


def test_republished_copy_with_new_headline_byline_read_also_and_no_last_paragraph_is_found() -> None:
    index = NearDuplicateIndex()
    index.add("original", signature(ORIGINAL))
    index.add("same-story", signature(SAME_STORY))
    copy = signature(REPUBLISHED)
    assert jaccard(signature(ORIGINAL), copy) > 0.6
    assert index.query(copy) == ["original"]


def test_reordered_paragraphs_are_found() -> None:
    index = NearDuplicateIndex()
    index.add("original", signature(ORIGINAL))
    assert jaccard(signature(ORIGINAL), signature(REORDERED)) > 0.85
    assert index.query(signature(REORDERED)) == ["original"]


def test_same_story_written_independently_is_not_a_near_duplicate() -> None:
    index = NearDuplicateIndex()
    index.add("original", signature(ORIGINAL))
    assert jaccard(signature(ORIGINAL), signature(SAME_STORY)) < 0.05
    assert index.query(signature(SAME_STORY)) == []


def test_case_and_punctuation_do_not_matter() -> None:
    assert shingles("Breaking: the River, burst!") == shingles("breaking the river burst") == {b"breaking the river burst"}
    assert jaccard(signature(ORIGINAL.upper()), signature(ORIGINAL.replace(", ", " - "))) == 1.0


def test_unspaced_scripts_are_shingled_by_characters() -> None:
    text = "奥斯特拉河谷三个村庄因洪水与外界隔绝。暴雨冲毁了唯一的公路桥，约一千二百名居民停电。州长承诺十天内建成临时桥梁。气象部门警告周五还将有降雨。"
    other = "中央银行周四宣布将基准利率下调零点二五个百分点，以支持放缓的经济增长。分析人士此前普遍预计利率将保持不变。"
    assert all(len(s.decode()) == 5 for s in shingles(text))
    assert jaccard(signature(text), signature(text[: text.rindex("气象")])) > 0.6
    assert jaccard(signature(text), signature(other)) < 0.05


def test_empty_and_short_texts() -> None:
    empty = signature("")
    assert is_empty(empty) and is_empty(signature(" ... !? "))
    index = NearDuplicateIndex()
    index.add("empty", empty)
    assert len(index) == 0 and index.query(empty) == []
    assert jaccard(empty, empty) == 0.0
    short = signature("Breaking news")
    index.add("short", short)
    assert index.query(signature("BREAKING: news!")) == ["short"]
    assert jaccard(short, signature("Weather report")) < 0.05


def test_index_takes_stored_blobs_is_idempotent_and_checks_lengths() -> None:
    index = NearDuplicateIndex()
    blob = signature(ORIGINAL).tobytes()
    index.add("original", np.frombuffer(blob, dtype=np.uint64))
    index.add("original", np.frombuffer(blob, dtype=np.uint64))
    assert len(index) == 1 and "original" in index
    assert index.query(np.frombuffer(blob, dtype=np.uint64)) == ["original"]
    with pytest.raises(ValueError):
        index.query(signature(ORIGINAL, num_perm=64))
    with pytest.raises(ValueError):
        jaccard(signature(ORIGINAL), signature(ORIGINAL, num_perm=64))


def test_ten_thousand_signatures_index_and_query() -> None:
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(5000)]
    texts = [" ".join(rng.choices(vocabulary, k=60)) for _ in range(10_000)]
    copies = {i: "Read also this\n" + texts[i][: texts[i].rindex(" ", 0, 300)] for i in range(0, 10_000, 200)}
    start = time.perf_counter()
    sigs = [signature(text) for text in texts]
    signed = time.perf_counter()
    index = NearDuplicateIndex()
    for i, sig in enumerate(sigs):
        index.add(str(i), sig)
    indexed = time.perf_counter()
    found = [index.query(sig) for sig in sigs]
    queried = time.perf_counter()
    print(
        f"\nminhash: 10,000 signatures {signed - start:.1f} s, index {indexed - signed:.2f} s, "
        f"10,000 queries {queried - indexed:.2f} s, {sum(map(len, found)) / len(found):.3f} candidates per query"
    )
    assert all(hits == [str(i)] for i, hits in enumerate(found))
    assert all(str(i) in index.query(signature(copy)) for i, copy in copies.items())
    assert indexed - signed < 30 and queried - indexed < 30  # generous: a benchmark may share the machine
