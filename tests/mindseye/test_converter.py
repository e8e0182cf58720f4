"""The shipped converter on wordings it never trained on, and unsupported detection."""

from __future__ import annotations

import json

import pytest
import torch

from embodied.errors import EmbodiedError
from embodied.mindseye import features as F
from embodied.mindseye.converter import DEFAULT_DIR, default_converter

S = "the same"
HELD_OUT = [
    ("A bowling ball and a tennis ball are let go together from a rooftop; the bowling ball is far heavier. "
     "Which reaches the pavement first?", ["the bowling ball", "the tennis ball", S], "ff_mass_time", "X"),
    ("Pebble Q sits on a lower shelf than pebble P; both tip off at once and fall. Which hits the floor first?",
     ["pebble P", "pebble Q", S], "ff_height_time", "X"),
    ("Two identical books get the same push across a table, book 1 on bare wood and book 2 on sandpaper, "
     "which is rougher. Which book slides farther?", ["book 1", "book 2", S], "fr_coef_distance", "Y"),
    ("A loaded truck smashes into a small parked car that is lighter than it, and they lock together. "
     "Right after, which has more kinetic energy?", ["the truck", "the car", S], "co_inelastic_ke", "X"),
    ("Cube X slides down a frictionless 50 degree incline and cube Y down a frictionless 25 degree one, "
     "from the same height. Which arrives at the bottom first?", ["cube X", "cube Y", S], "in_angle_time", "X"),
]
UNSUPPORTED = [
    ("Which bulb glows more in a series circuit, the 40 W one or the 100 W one?", ["the 40 W bulb", "the 100 W bulb", S]),
    ("Which is the longest river, the Nile or the Amazon?", ["the Nile", "the Amazon", S]),
    ("A mug of hot tea and a mug of lukewarm tea sit on a table. Which loses heat faster?",
     ["the hot tea", "the lukewarm tea", S]),
]


def test_shipped_weights_are_small_and_safe() -> None:
    config = json.loads((DEFAULT_DIR / "converter.json").read_text())
    for name in ("converter.pt", "fast.pt"):
        path = DEFAULT_DIR / name
        if path.exists():
            assert path.stat().st_size < 20e6
            torch.load(path, weights_only=True)
    assert "unsupported" in config["labels"] and 0 < config["threshold"] < 1


@pytest.mark.parametrize("question, choices, subtask, greater_name", HELD_OUT)
def test_held_out_phrasings(question: str, choices: list[str], subtask: str, greater_name: str) -> None:
    conv = default_converter().convert(question, choices)
    assert conv.label == subtask, conv.top
    assert conv.relation_found
    heavier_name = choices[0] if greater_name == "X" else choices[1]
    assert conv.spec is not None and conv.spec.objects[conv.spec.greater] == heavier_name


@pytest.mark.parametrize("question, choices", UNSUPPORTED)
def test_unsupported(question: str, choices: list[str]) -> None:
    conv = default_converter().convert(question, choices)
    assert conv.label == "unsupported" and conv.spec is None


def test_relation_either_way_round() -> None:
    for text, expected in (("objx is heavier than objy.", "X"), ("objy is lighter than objx.", "X"),
                           ("objx weighs less than objy.", "Y"), ("the mass of objy is greater than that of objx.", "Y"),
                           ("compared with objx, objy is heavier.", "Y")):
        assert F.find_relation(text, "mass") == (expected, True), text


def test_absurd_number_is_rejected() -> None:
    with pytest.raises(EmbodiedError, match="1e9 m/s"):
        F.check_stated_values("a ball thrown at 1e9 m/s")
    F.check_stated_values("a ball thrown at 12 m/s from 3 m")


@pytest.mark.parametrize(
    "text, attribute, expected",
    [
        ("objx goes off at 60 degrees and objy at 30 degrees.", "angle", "X"),  # stated numbers
        ("objx gets a steady 5 n push and objy a steady 10 n push.", "force", "Y"),
        ("a heavy objx and a light objy are launched.", "mass", "X"),  # adjectives
        ("objx is released well above objy's release point.", "height", "X"),
        ("objy weighs three times what objx weighs.", "mass", "Y"),
        ("the floor under objx is more slippery than under objy.", "friction", "Y"),
    ],
)
def test_relation_forms(text: str, attribute: str, expected: str) -> None:
    assert F.find_relation(text, attribute) == (expected, True)


def test_no_relation_is_reported_as_not_found() -> None:
    assert F.find_relation("objx and objy fall from the same height.", "height")[1] is False
    assert F.find_relation("objx weighs more than objy and both drop from the same height.", "height")[1] is False


@pytest.mark.parametrize(
    "text, mover",
    [("objx crashes into objy, which is not moving.", "X"), ("objx hits a stationary objy.", "X"),
     ("objy sits still and objx runs into it.", "X"), ("objy slides toward objx, which is at rest.", "Y")],
)
def test_mover(text: str, mover: str) -> None:
    assert F.find_mover(text) == mover


def test_names_from_choices_and_text() -> None:
    names, mentions = F.object_names("A ping-pong ball hits a stationary bowling ball.",
                                     ["the ping-pong ball", "the bowling ball", "the same"])
    assert names == ("the ping-pong ball", "the bowling ball") and mentions == ("ping-pong ball", "bowling ball")
    names, mentions = F.object_names("Ramp 1 is steeper than ramp 2.", ["the block on ramp 1", "the block on ramp 2"])
    assert mentions is not None and tuple(m.lower() for m in mentions) == ("ramp 1", "ramp 2")
    assert F.relation_from_names(("the heavy sled", "the light sled"), "mass") == "X"


def test_comparison_choices_pick_the_total_momentum_subtask() -> None:
    conv = default_converter().convert(
        "Two carts collide elastically; cart A was moving and cart B was at rest. Compared with before, the total "
        "momentum of the carts afterwards is:", ["greater", "smaller", "the same"])
    assert conv.label == "co_momentum_total"


def test_mass_left_implied_by_what_the_objects_are():
    from embodied.mindseye import features as F

    assert F.implied_relation(("the bowling ball", "the marble"), "mass") == "X"
    assert F.implied_relation(("a feather", "a brick"), "mass") == "Y"
    assert F.implied_relation(("the red ball", "the blue ball"), "mass") is None  # nothing known
    assert F.implied_relation(("the baseball", "the tennis ball"), "mass") is None  # too close to call
    assert F.implied_relation(("the bowling ball", "the marble"), "height") is None
