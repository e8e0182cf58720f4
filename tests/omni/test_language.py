"""Text rules of the omnimodel: steps, negation, destinations, numbers, prechecks, generator splits."""

from __future__ import annotations

import numpy as np

from embodied.omni import language as L


def test_split_steps_on_connectives():
    assert L.split_steps("Pick up the red cube and then put it on the blue ball.") == \
        ["pick up the red cube", "put it on the blue ball"]
    assert L.split_steps("open the gripper; go home, then close the gripper") == \
        ["open the gripper", "go home", "close the gripper"]
    assert L.split_steps("reach the red cube") == ["reach the red cube"]
    assert L.split_steps("Go ahead and pick up the red cube please, then go home") == \
        ["pick up the red cube", "go home"]
    assert L.split_steps("please") == ["please"]


def test_destination_and_noun_phrases():
    assert L.split_destination("put the red cube on top of the green cylinder") == \
        ("put the red cube", "on top of the green cylinder")
    assert L.split_destination("pick up the red cube") == ("pick up the red cube", None)
    assert L.noun_phrase("push the red cube to the left by 10 cm") == "red cube"
    assert L.noun_phrase("grab the purple elephant please") == "purple elephant"
    assert L.noun_phrase("pick it up") == ""
    assert L.has_pronoun_object("put it on the blue ball")


def test_negation_and_numbers():
    assert L.is_negated("don't pick up the red cube") and L.is_negated("do not touch it")
    assert not L.is_negated("pick up the red cube")
    assert L.strip_negation("don't pick up the red cube") == "pick up the red cube"
    assert L.find_number("push it 12 cm to the left", ("cm", "m")) == (12.0, "cm")
    assert L.find_number("turn left by 45 degrees", ("deg",)) == (45.0, "deg")
    assert L.find_direction("shove it towards me", ("left", "right", "forward", "back")) == "back"
    assert L.find_direction("walk forwards", ("forward", "backward")) == "forward"


def test_prechecks():
    assert "empty" in L.precheck("   ")
    assert "too long" in L.precheck("touch the red cube " * 20)
    assert "English" in L.precheck("拿起红色的方块")
    assert L.precheck("pick up the red cube") is None


def test_train_and_heldout_phrasings_are_disjoint():
    for skill, splits in L.TEMPLATES.items():
        assert not set(splits["train"]) & set(splits["test"]), skill
    assert not set(L.UNKNOWN_NOUNS["train"]) & set(L.UNKNOWN_NOUNS["test"])
    rng = np.random.default_rng(0)
    examples = L.skill_examples("test", 200, rng)
    assert {s for _, s in examples} <= set(L.SKILL_CLASSES)
    assert len({s for _, s in examples}) >= 10
