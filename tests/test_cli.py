"""The `embodied` command, run in-process: robots, envs, scene (the same layout as
`env.reset(seed=S)`), demo, and one-line errors with exit status 2."""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest
from conftest import state_only

from embodied.cli import main
from embodied.envs import task_ids
from embodied.robots import all_robots
from embodied.tasks import all_tasks, get_task
from embodied.tasks import task as task_module
from embodied.tasks.task import scene_for

TABLETOP = "embodied/PandaTabletop-v0"


def run(capsys, *argv):
    """main(argv): (exit status, stdout, stderr)."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys, *argv):
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


def assert_user_error(status, out, err, *words):
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {err!r}"
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"


# ----- robots ---------------------------------------------------------------------------
def test_robots_json(capsys):
    robots = run_json(capsys, "robots")
    assert [r["name"] for r in robots] == list(all_robots())
    for robot in robots:
        info = all_robots()[robot["name"]]
        assert robot["alias"] == info.alias and robot["kind"] == info.kind
        assert robot["files_present"] is True
        assert robot["joints"] > 0 and robot["actuators"] > 0
        assert robot["camera"] == info.camera_name


def test_robots_table(capsys):
    status, out, _ = run(capsys, "robots")
    assert status == 0
    for info in all_robots().values():
        assert info.alias in out and info.kind in out


def test_robots_without_their_files(capsys, empty_menagerie):
    robots = run_json(capsys, "robots")
    assert robots and all(r["files_present"] is False and r["joints"] is None for r in robots)
    status, out, _ = run(capsys, "robots")
    assert status == 0 and "no (set" in out


# ----- envs -----------------------------------------------------------------------------
def test_envs_json(capsys):
    entries = run_json(capsys, "envs")
    assert [e["id"] for e in entries] == list(all_tasks())
    assert sorted(e["id"] for e in entries) == sorted(task_ids())
    for entry in entries:
        config = get_task(entry["id"])
        model = scene_for(config).model
        assert entry["action_size"] == (12 if config.id == "embodied/T1Walk-v0" else model.nu)  # T1: legs only
        assert entry["max_steps"] == config.max_steps and entry["control_hz"] == config.control_hz
        assert entry["observation_keys"][0] == "state"
        for camera in config.cameras:
            assert f"image/{camera}" in entry["observation_keys"]
        assert ("instruction" in entry["observation_keys"]) == (config.goal == "tabletop")


def test_envs_table(capsys):
    status, out, _ = run(capsys, "envs")
    assert status == 0
    assert "embodied/Go1" in out and "go1" in out and "panda" in out


def test_envs_table_shows_whole_ids(capsys):
    _, out, _ = run(capsys, "envs")
    for task_id in all_tasks():
        assert task_id in out


# ----- scene ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tabletop_env():
    env = state_only(TABLETOP)
    yield env
    env.close()


@pytest.mark.parametrize("seed", [0, 3, 99])
def test_scene_seed_is_the_env_reset_seed(capsys, tabletop_env, seed):
    """`embodied scene --seed S` shows the layout of `env.reset(seed=S)` and of sample_layout(S)."""
    result = run_json(capsys, "scene", "--task", TABLETOP, "--seed", str(seed))
    assert result["task"] == TABLETOP and result["seed"] == seed
    _, info = tabletop_env.reset(seed=seed)
    assert result["props"] == tabletop_env.unwrapped.task.scene_description(0) == info["scene"]
    assert result["instruction"] == info["instruction"]
    layout = scene_for(get_task(TABLETOP)).sample_layout(seed)
    assert [p["name"] for p in result["props"]] == [p.name for p in layout.props]
    np.testing.assert_allclose([p["position"] for p in result["props"]],
                               [p.position for p in layout.props], atol=2e-4)


def test_scene_seeds_differ(capsys):
    a = run_json(capsys, "scene", "--task", TABLETOP, "--seed", "1")
    b = run_json(capsys, "scene", "--task", TABLETOP, "--seed", "2")
    assert a["props"] != b["props"]


def test_scene_accepts_a_short_task_id(capsys):
    assert run_json(capsys, "scene", "--task", "PandaReach-v0", "--seed", "4")["task"] == "embodied/PandaReach-v0"


def test_scene_table(capsys):
    status, out, _ = run(capsys, "scene", "--task", TABLETOP, "--seed", "3")
    assert status == 0
    layout = scene_for(get_task(TABLETOP)).sample_layout(3)
    for prop in layout.props:
        assert prop.name.replace("_", " ") in out or (prop.color in out and prop.shape in out)


def test_scene_png(capsys, tmp_path):
    import imageio.v3 as iio

    png = tmp_path / "sub" / "scene.png"
    result = run_json(capsys, "scene", "--task", TABLETOP, "--seed", "3", "--png", str(png),
                      "--width", "64", "--height", "48")
    assert result["png"] == str(png)
    image = iio.imread(png)
    assert image.shape == (48, 64, 3) and image.std() > 10
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 20


def test_scene_unknown_task(capsys):
    status, out, err = run(capsys, "scene", "--task", "embodied/PandaTabeltop-v0", "--seed", "0")
    assert_user_error(status, out, err, "unknown task", "'embodied/PandaTabeltop-v0'", TABLETOP,
                      "Did you mean")


def test_scene_unknown_camera(capsys, tmp_path):
    status, out, err = run(capsys, "scene", "--task", TABLETOP, "--png", str(tmp_path / "x.png"),
                           "--camera", "nose", "--width", "32", "--height", "24")
    assert_user_error(status, out, err, "unknown camera 'nose'", "overview", "wrist")
    assert not (tmp_path / "x.png").exists()


def test_scene_missing_robot_files(capsys, empty_menagerie, monkeypatch):
    monkeypatch.setattr(task_module, "_SCENE_CACHE", {})  # compile again, from the empty folder
    status, out, err = run(capsys, "scene", "--task", "embodied/Go1Walk-v0")
    assert_user_error(status, out, err, "MENAGERIE_ROOT", "unitree_go1", "internet")


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["scene"])  # --task is required
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["scene", "--task", TABLETOP, "--seed", "three"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["teleport"])
    assert caught.value.code == 2
    capsys.readouterr()


def test_no_command_prints_help(capsys):
    status, out, _ = run(capsys)
    assert status == 0 and "robots" in out and "scene" in out


# ----- demo ---------------------------------------------------------------------------------
def test_demo(capsys, tmp_path):
    import imageio.v3 as iio

    out_dir = tmp_path / "out"
    result = run_json(capsys, "demo", "--out", str(out_dir), "--task", "embodied/PandaReach-v0", "--seconds", "0.25")
    video, still = out_dir / "demo.mp4", out_dir / "wrist_camera.png"
    assert result["video"] == str(video) and result["camera_png"] == str(still)
    assert video.stat().st_size > 1000
    assert result["frames"] == 5  # 0.25 s at 20 Hz
    image = iio.imread(still)
    assert image.ndim == 3 and image.shape[2] == 3 and image.std() > 5
    frames = iio.imread(video, index=None)
    assert frames.shape[0] == result["frames"] and frames.std() > 10


def test_demo_unknown_task(capsys, tmp_path):
    status, out, err = run(capsys, "demo", "--out", str(tmp_path), "--task", "embodied/Nope-v0")
    assert_user_error(status, out, err, "unknown task 'embodied/Nope-v0'", "Go1Walk-v0")


def test_cli_and_gymnasium_agree_on_the_ids(capsys):
    entries = run_json(capsys, "envs")
    for entry in entries:
        assert entry["id"] in gym.registry


def test_every_option_of_every_command_says_what_it_does():
    import argparse

    from embodied.cli import build_parser

    def undocumented(parser, path):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from undocumented(sub, f"{path} {name}")
            elif not isinstance(action, argparse._HelpAction) and not action.help:
                yield f"{path} {action.option_strings or action.dest}"

    assert list(undocumented(build_parser(), "embodied")) == []
