"""Simulated quantities of every sub-task against closed-form textbook physics."""

from __future__ import annotations

import numpy as np
import pytest

from embodied.mindseye.simulate import G, closed_form, physics_check, sample_values, simulate, simulate_values
from embodied.mindseye.spec import SUBTASKS, spec_for_subtask

# relative tolerance per quantity (inelastic "stick together" is an over-damped soft contact)
TOL = {"velocity_after": 0.03, "speed_after": 0.03, "momentum_after": 0.03, "ke_after": 0.03,
       "stop_time": 0.02, "distance": 0.02}


@pytest.mark.parametrize("subtask", [s for s in SUBTASKS if s != "ff_air_drag"])
def test_matches_closed_form(subtask: str) -> None:
    spec = spec_for_subtask(subtask)
    errors = physics_check(spec, samples=8, seed=3)
    assert errors.pop("diverged") == 0
    assert errors, "nothing was compared"
    for name, err in errors.items():
        assert err <= TOL.get(name, 0.01), f"{subtask}: {name} off by {err:.2%}"


@pytest.mark.parametrize("subtask", list(SUBTASKS))
def test_simulated_answer_is_the_textbook_one(subtask: str) -> None:
    row = SUBTASKS[subtask]
    result = simulate(spec_for_subtask(subtask), samples=8, seed=1)
    expected = "same" if row.expected == "the same" else row.expected
    assert result.outcome == expected, result.rationale
    assert result.confidence >= 0.75


def test_relation_flips_answer() -> None:
    x = simulate(spec_for_subtask("ff_height_time", greater="X"), samples=8)
    y = simulate(spec_for_subtask("ff_height_time", greater="Y"), samples=8)
    assert (x.outcome, y.outcome) == ("Y", "X")


def test_free_fall_time_formula() -> None:
    spec = spec_for_subtask("ff_height_time")
    v = sample_values(spec, 6, np.random.default_rng(0))
    out, _ = simulate_values("free_fall", spec.structure_key(), v)
    assert np.allclose(out["landing_time"], np.sqrt(2 * v["height"] / G), rtol=0.01)


def test_elastic_collision_conserves_energy_and_inelastic_sticks() -> None:
    for sid, energy_kept in (("co_elastic_heavy_into_light", True), ("co_inelastic_ke", False)):
        spec = spec_for_subtask(sid)
        v = sample_values(spec, 6, np.random.default_rng(1))
        out, _ = simulate_values("collision", spec.structure_key(), v)
        ke_before = 0.5 * v["mass"][:, 0] * v["speed"][:, 0] ** 2
        ke_after = out["ke_after"].sum(1)
        if energy_kept:
            assert np.allclose(ke_after, ke_before, rtol=0.02)
        else:
            after = out["velocity_after"]
            assert np.allclose(after[:, 0], after[:, 1], rtol=0.03)
            assert (ke_after < 0.95 * ke_before).all()
        ref = closed_form(spec, v)["total_momentum"]
        assert np.allclose(out["total_momentum"][:, 1], ref[:, 0], rtol=0.01)


def test_air_drag_slows_the_lighter_object_more() -> None:
    spec = spec_for_subtask("ff_air_drag")
    v = sample_values(spec, 8, np.random.default_rng(2))
    out, _ = simulate_values("free_fall", spec.structure_key(), v)
    vacuum = np.sqrt(2 * v["height"] / G)
    assert (out["landing_time"] > vacuum).all()  # drag makes every fall slower
    light = np.argmin(v["mass"], axis=1)
    rows = np.arange(8)
    assert (out["landing_time"][rows, light] > out["landing_time"][rows, 1 - light]).all()
