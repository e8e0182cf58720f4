"""Scene-spec validation and JSON round trip."""

from __future__ import annotations

import json

import pytest

from embodied.errors import EmbodiedError
from embodied.mindseye.spec import SUBTASKS, SceneSpec, spec_for_subtask


def test_table_has_39_plus_2_subtasks() -> None:
    assert len(SUBTASKS) == 41
    assert sum(1 for s in SUBTASKS.values() if s.extra) == 2


@pytest.mark.parametrize("subtask", list(SUBTASKS))
def test_round_trip(subtask: str) -> None:
    spec = spec_for_subtask(subtask, objects={"X": "the red ball", "Y": "the blue ball"})
    again = SceneSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec


@pytest.mark.parametrize(
    "change, field, valid",
    [
        ({"scene": "optics"}, "scene", "free_fall"),
        ({"attribute": "colour"}, "attribute", "mass"),
        ({"quantity": "brighter"}, "quantity", "lands_first"),
        ({"greater": "Z"}, "greater", "'X', 'Y'"),
        ({"conditions": {"medium": "water"}}, "conditions.medium", "vacuum"),
        ({"conditions": {"gravity": 3}}, "conditions", "medium"),
        ({"objects": {"X": "a", "Y": "A"}}, "objects", "different"),
        ({"choices": ["only one"]}, "choices", "at least two"),
        ({"subtask": "ff_nope"}, "subtask", "ff_mass_time"),
        ({"colour": "red"}, "colour", "fields"),
    ],
)
def test_bad_fields_are_named_with_valid_values(change: dict, field: str, valid: str) -> None:
    data = {**spec_for_subtask("ff_mass_time").to_dict(), **change}
    with pytest.raises(EmbodiedError) as info:
        SceneSpec.from_dict(data)
    message = str(info.value)
    assert field in message or repr(change.get("scene", "")) in message
    assert valid in message


def test_missing_field_is_named() -> None:
    data = spec_for_subtask("ff_mass_time").to_dict()
    del data["quantity"]
    with pytest.raises(EmbodiedError, match="quantity"):
        SceneSpec.from_dict(data)


def test_spec_is_data_not_code() -> None:
    with pytest.raises(EmbodiedError):
        SceneSpec.from_dict({"scene": "__import__('os').system('true')", "attribute": "mass", "quantity": "lands_first"})
