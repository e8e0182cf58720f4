"""The training phrasebook: pattern expansion, the train / held-out split, prop words with synonyms."""

from __future__ import annotations

import re

import numpy as np

from embodied.omni import language as L
from embodied.omni import phrasebook as P


def test_patterns_expand_alternatives_and_optional_words():
    assert set(P.expand("(pick up|lift) the {o}[ please]")) == {
        "pick up the {o}", "pick up the {o} please", "lift the {o}", "lift the {o} please"}
    rng = np.random.default_rng(0)
    assert {P.sample("(a|b) c[ d]", rng) for _ in range(100)} == {"a c", "a c d", "b c", "b c d"}
    assert P.expand("stop , ok") == ("stop, ok",)  # no space before a comma


def test_every_pattern_is_well_formed():
    for key, patterns in P.PATTERNS.items():
        for pattern in patterns:
            assert pattern.count("(") == pattern.count(")") and ")?" not in pattern, (key, pattern)
            for text in P.expand(pattern)[:50]:
                assert "  " not in text and not text.startswith(" "), (key, text)


def test_training_steps_never_use_held_out_words_or_templates():
    rng = np.random.default_rng(1)
    examples = L.training_steps(4000, rng)
    assert {label for _, label in examples} == set(L.SKILL_CLASSES)
    held_out = {key: set(v["test"]) for key, v in L.TEMPLATES.items()}
    for text, label in examples:
        for word in P.HELD_OUT_WORDS.get(label, ()):
            assert not re.search(rf"\b{re.escape(word.strip())}\b", text), (word, text, label)
        assert text not in held_out.get(label, set()), (text, label)


def test_synonym_and_noun_splits_are_disjoint():
    for color, splits in P.COLOR_SYNONYMS.items():
        assert not set(splits["train"]) & set(splits["test"]), color
    for shape, splits in P.SHAPE_SYNONYMS.items():
        assert not set(splits["train"]) & set(splits["test"]), shape
    assert not set(P.UNKNOWN_NOUNS_TRAIN) & set(P.UNKNOWN_NOUNS_TEST)
    assert set(P.UNKNOWN_NOUNS_TEST) == set(L.UNKNOWN_NOUNS["test"])
    # an unknown noun is never a word for a colour or a shape
    for noun in P.UNKNOWN_NOUNS_TRAIN + P.UNKNOWN_NOUNS_TEST:
        assert noun not in L.SHAPE_OF and noun not in L.COLOR_OF, noun


def test_prop_queries_name_the_prop_in_their_split():
    rng = np.random.default_rng(2)
    for split in ("train", "test"):
        for _ in range(200):
            color, shape = L._pick(rng, L.COLOR_NAMES), L._pick(rng, ("cube", "ball", "cylinder"))
            query = L.object_query(rng, color, shape, split)
            assert L.said_attributes(query) == ([color], [shape]), query
            assert query.split()[0] not in ("the", "that", "this", "a", "grab"), query
    test_words = {w for s in P.COLOR_SYNONYMS.values() for w in s["test"]}
    train_queries = {L.object_query(rng, "red", "cube") for _ in range(300)}
    assert not any(w in q for q in train_queries for w in test_words)
    assert L.said_attributes(L.object_query(rng, "blue", None)) == (["blue"], [])
    assert L.said_attributes(L.object_query(rng, None, "ball"))[1] == ["ball"]


def test_unknown_queries_keep_their_noun():
    rng = np.random.default_rng(3)
    for _ in range(300):
        query = L.unknown_object_query(rng)
        assert not L.said_attributes(query)[1], query  # no shape word: nothing in the scene is one
        assert any(noun in query for noun in P.UNKNOWN_NOUNS_TRAIN), query
