"""Training (embodied.learn): a tiny PPO run through `embodied train`, its files, resume and seeding,
and loading policies (`load_policy`, `policy_folder`, `--policies`) with errors a user can act on.

Every run is tiny (4 Go1 envs, 1-3 PPO iterations of 24 steps) and writes only under tmp_path.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch

from embodied.cli import main
from embodied.errors import EmbodiedError
from embodied.learn import policy as policy_module
from embodied.learn.policy import (
    POLICIES_DIR,
    POLICIES_ENV,
    ActorCritic,
    Policy,
    load_policy,
    policy_folder,
    save_policy,
)
from embodied.learn.ppo import PPO, PPOConfig
from embodied.learn.train import TrainSettings, train
from embodied.skills import legged
from embodied.tasks import get_task

TASK = "embodied/Go1Walk-v0"
NUM_ENVS = 4
STEPS_PER_ITERATION = PPOConfig().steps_per_rollout * NUM_ENVS  # 96 env steps per PPO iteration
HOW_TO_TRAIN = "embodied train"


def train_cli(capsys, run_dir, out, *extra, iterations=2, seed=0):
    """`embodied train ... --json` in-process: (exit status, metrics or None, stderr)."""
    argv = ["train", "--task", TASK, "--num-envs", str(NUM_ENVS), "--iterations", str(iterations),
            "--seed", str(seed), "--run-dir", str(run_dir), "--out", str(out), "--json", *extra]
    status = main(argv)
    captured = capsys.readouterr()
    return status, (json.loads(captured.out) if status == 0 else None), captured.err


def tiny_run(tmp_path, name, iterations=1, seed=0, resume=False):
    """train() in Python: the metrics, with the run and policy folders under tmp_path/name."""
    return train(TrainSettings(task=TASK, num_envs=NUM_ENVS, minutes=None, iterations=iterations, seed=seed,
                               resume=resume, run_dir=tmp_path / name / "run", out_dir=tmp_path / name / "policy"))


def state_dict(path):
    return torch.load(path, map_location="cpu", weights_only=True)


@pytest.fixture(autouse=True)
def no_policy_override(monkeypatch):
    """EMBODIED_POLICIES unset, restored after the test even if the CLI sets it; no cached policies."""
    monkeypatch.setenv(POLICIES_ENV, "unset")
    monkeypatch.delenv(POLICIES_ENV)
    monkeypatch.setattr(legged, "_POLICIES", {})


@pytest.fixture
def trained(tmp_path, capsys):
    """A 2-iteration run of `embodied train`: (metrics printed, run folder, policy folder)."""
    run_dir, out = tmp_path / "run", tmp_path / "policy" / "go1" / "walk"
    status, metrics, err = train_cli(capsys, run_dir, out)
    assert status == 0, err
    return metrics, run_dir, out


# ----- a tiny run and its files ----------------------------------------------------------
def test_train_writes_policy_config_and_metrics(trained):
    metrics, run_dir, out = trained
    assert sorted(p.name for p in out.iterdir()) == ["config.json", "metrics.json", "policy.pt"]
    assert metrics["iterations"] == 2
    assert metrics["env_steps"] == 2 * STEPS_PER_ITERATION
    assert metrics["interrupted"] is False and metrics["policy_dir"] == str(out)
    assert metrics["wall_clock_s"] >= 0 and metrics["env_steps_per_s"] > 0
    assert np.isfinite(metrics["final_policy_loss"]) and np.isfinite(metrics["final_value_loss"])

    saved = json.loads((out / "metrics.json").read_text())
    assert saved["env_steps"] == metrics["env_steps"] and saved["iterations"] == 2
    assert json.loads((run_dir / "metrics.json").read_text())["env_steps"] == metrics["env_steps"]

    config = json.loads((out / "config.json").read_text())
    task = get_task(TASK)
    assert config["task"] == TASK and config["robot"] == "go1" and config["skill"] == "walk"
    assert config["obs_size"] == 48 and config["action_size"] == 12
    assert config["state_terms"] == list(task.state_terms)
    assert config["action_mode"] == task.action_mode and config["action_scale"] == task.action_scale
    assert config["num_envs"] == NUM_ENVS and config["seed"] == 0
    assert "--iterations 2" in config["command"] and TASK in config["command"]

    weights = state_dict(out / "policy.pt")  # plain tensors: loads under weights_only=True
    assert weights["actor.0.weight"].shape == (256, 48)
    assert all(isinstance(value, torch.Tensor) for value in weights.values())
    # the normaliser saw every observation of the two rollouts (count starts at 1e-4)
    assert weights["normalizer.count"].item() == pytest.approx(2 * STEPS_PER_ITERATION, abs=1e-3)
    assert (run_dir / "checkpoint.pt").is_file() and (run_dir / "tb").is_dir()


def test_trained_policy_loads_and_acts(trained):
    _, _, out = trained
    policy = load_policy(out)
    assert isinstance(policy, Policy) and policy.folder == out
    assert policy.metrics["env_steps"] == 2 * STEPS_PER_ITERATION
    obs = np.random.default_rng(0).normal(size=(3, 48)).astype(np.float32)
    actions = policy(obs)
    assert actions.shape == (3, 12) and np.all(np.abs(actions) <= 1.0)
    np.testing.assert_allclose(policy(obs[0]), actions[0], atol=1e-6)  # one observation: one action
    assert np.array_equal(policy(obs), actions)  # deterministic
    torch.manual_seed(0)
    assert not np.array_equal(policy(obs, deterministic=False), actions)  # sampled: std 0.5


def test_train_defaults_follow_policies_env_and_runs_dir(tmp_path, monkeypatch, capsys):
    """Without --out the policy goes to $EMBODIED_POLICIES/<robot>/<skill>; without --run-dir to runs/."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(POLICIES_ENV, str(tmp_path / "mine"))
    status = main(["train", "--task", TASK, "--num-envs", str(NUM_ENVS), "--iterations", "1", "--seed", "3"])
    out = capsys.readouterr().out
    assert status == 0
    assert (tmp_path / "mine" / "go1" / "walk" / "policy.pt").is_file()
    assert (tmp_path / "runs" / "Go1Walk-v0-s3" / "checkpoint.pt").is_file()
    assert f"{STEPS_PER_ITERATION:,} env steps" in out and str(tmp_path / "mine" / "go1" / "walk") in out


# ----- resume -------------------------------------------------------------------------------
def test_resume_continues_from_the_checkpoint(tmp_path, capsys, monkeypatch):
    run_dir, out = tmp_path / "run", tmp_path / "policy"
    status, first, err = train_cli(capsys, run_dir, out, iterations=1)
    assert status == 0, err
    checkpoint = state_dict(run_dir / "checkpoint.pt")
    assert checkpoint["iteration"] == 1 and checkpoint["env_steps"] == STEPS_PER_ITERATION
    assert {"network", "optimizer", "learning_rate", "elapsed", "torch_rng"} <= set(checkpoint)
    assert torch.equal(checkpoint["network"]["actor.0.weight"], state_dict(out / "policy.pt")["actor.0.weight"])

    rollouts = []  # the network each rollout of the resumed run starts from
    collect = PPO.collect

    def counting_collect(self, *args, **kwargs):
        rollouts.append({key: value.clone() for key, value in self.network.state_dict().items()})
        return collect(self, *args, **kwargs)

    monkeypatch.setattr(PPO, "collect", counting_collect)

    # the same run again without --resume would overwrite it: refused, naming the checkpoint
    status, _, err = train_cli(capsys, run_dir, out, iterations=1)
    assert status == 2 and "checkpoint.pt exists" in err and "--resume" in err and "Traceback" not in err

    status, resumed, err = train_cli(capsys, run_dir, out, "--resume", iterations=3)
    assert status == 0, err
    assert resumed["iterations"] == 3
    assert len(rollouts) == 2  # 2 more iterations, not 3 from scratch
    # the first of them starts from the checkpoint's network and normaliser, not a fresh one
    assert all(torch.equal(rollouts[0][key], checkpoint["network"][key]) for key in checkpoint["network"])
    assert resumed["env_steps"] == 3 * STEPS_PER_ITERATION
    assert resumed["wall_clock_s"] >= first["wall_clock_s"]
    checkpoint = state_dict(run_dir / "checkpoint.pt")
    assert checkpoint["iteration"] == 3 and checkpoint["env_steps"] == 3 * STEPS_PER_ITERATION
    # the normaliser kept counting from the checkpoint: 3 rollouts' observations, not 2
    weights = state_dict(out / "policy.pt")
    assert weights["normalizer.count"].item() == pytest.approx(3 * STEPS_PER_ITERATION, abs=1e-3)
    assert json.loads((out / "metrics.json").read_text())["env_steps"] == 3 * STEPS_PER_ITERATION


def test_resume_with_spent_budget_trains_no_more(tmp_path):
    tiny_run(tmp_path, "a", iterations=1)
    before = state_dict(tmp_path / "a" / "policy" / "policy.pt")
    metrics = tiny_run(tmp_path, "a", iterations=1, resume=True)
    assert metrics["iterations"] == 1 and metrics["env_steps"] == STEPS_PER_ITERATION
    after = state_dict(tmp_path / "a" / "policy" / "policy.pt")
    assert all(torch.equal(before[key], after[key]) for key in before)


# ----- seeding ------------------------------------------------------------------------------
def test_same_seed_same_first_iteration(tmp_path):
    """train() seeds Python, NumPy and torch, resets the envs with the seed and keeps torch to one
    thread on the cpu backend; the physics of each world is deterministic, so two runs with the
    same seed give bit-identical networks and statistics, and another seed a different one."""
    first, second, other = (tiny_run(tmp_path, name, seed=seed) for name, seed in (("a", 0), ("b", 0), ("c", 1)))
    keys = ("final_policy_loss", "final_value_loss", "final_kl", "final_learning_rate", "env_steps")
    assert {k: first[k] for k in keys} == {k: second[k] for k in keys}
    a, b, c = (state_dict(tmp_path / name / "policy" / "policy.pt") for name in "abc")
    assert a.keys() == b.keys()
    assert all(torch.equal(a[key], b[key]) for key in a)
    assert not torch.equal(a["actor.0.weight"], c["actor.0.weight"])
    assert not torch.equal(a["normalizer.mean"], c["normalizer.mean"])  # other seed, other episodes
    assert first["final_value_loss"] != other["final_value_loss"]


# ----- bad input --------------------------------------------------------------------------
def test_train_rejects_bad_settings(tmp_path, capsys):
    with pytest.raises(EmbodiedError, match="at least 1"):
        train(TrainSettings(task=TASK, num_envs=0, iterations=1, run_dir=tmp_path / "r", out_dir=tmp_path / "p"))
    with pytest.raises(EmbodiedError, match="--minutes or --iterations"):
        train(TrainSettings(task=TASK, minutes=None, iterations=None, run_dir=tmp_path / "r", out_dir=tmp_path / "p"))
    status = main(["train", "--task", "embodied/Go1Wlak-v0", "--iterations", "1", "--run-dir", str(tmp_path / "r"),
                   "--out", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert status == 2 and "Go1Wlak" in err and "Go1Walk-v0" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists() and not (tmp_path / "p").exists()


# ----- load_policy errors -------------------------------------------------------------------
@pytest.fixture
def policy_dir(tmp_path):
    """A valid (untrained) Go1 walk policy folder written by save_policy."""
    folder = tmp_path / "go1" / "walk"
    config = {"task": TASK, "robot": "go1", "skill": "walk", "obs_size": 48, "action_size": 12,
              "hidden": [256, 128, 128], "state_terms": list(get_task(TASK).state_terms),
              "action_mode": "offset", "action_scale": 0.3}
    save_policy(folder, ActorCritic(48, 12), config, {"env_steps": 0})
    assert load_policy(folder).config == config
    return folder


def assert_policy_error(error, path):
    message = str(error.value)
    assert str(path) in message, message
    assert HOW_TO_TRAIN in message, message


def test_load_policy_missing_folder(tmp_path):
    missing = tmp_path / "nowhere" / "go1" / "walk"
    with pytest.raises(EmbodiedError, match="missing") as error:
        load_policy(missing)
    assert_policy_error(error, missing / "policy.pt")


@pytest.mark.parametrize("name", ["policy.pt", "config.json"])
def test_load_policy_missing_file(policy_dir, name):
    (policy_dir / name).unlink()
    with pytest.raises(EmbodiedError, match="missing") as error:
        load_policy(policy_dir)
    assert_policy_error(error, policy_dir / name)


class NotATensor:
    pass


CORRUPT = {
    "policy.pt": {
        "garbage": b"this is not a torch file\x00\x01\x02",
        "empty": b"",
        "truncated": "half",
        "not weights": "object",  # a pickled Python object: refused by weights_only=True
        "not a state dict": "list",
        "wrong shapes": "shapes",
    },
    "config.json": {
        "not json": b"{obs_size: 48",
        "empty": b"",
        "missing field": b'{"obs_size": 48, "action_size": 12}',
        "not an object": b"[48, 12]",
        "bad hidden": b'{"obs_size": 48, "action_size": 12, "hidden": null}',
    },
    "metrics.json": {"not json": b"{'env_steps': 0}"},
}


@pytest.mark.parametrize(("name", "case"), [(name, case) for name, cases in CORRUPT.items() for case in cases])
def test_load_policy_corrupt_file(policy_dir, name, case):
    path = policy_dir / name
    content = CORRUPT[name][case]
    if content == "half":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif content == "object":
        torch.save({"actor.0.weight": NotATensor()}, path)
    elif content == "list":
        torch.save([torch.zeros(3)], path)
    elif content == "shapes":
        torch.save(ActorCritic(30, 12).state_dict(), path)
    else:
        path.write_bytes(content)
    with pytest.raises(EmbodiedError, match="corrupt") as error:
        load_policy(policy_dir)
    assert_policy_error(error, path)
    assert "\n" not in str(error.value)  # the CLI prints it as one line


# ----- where policies are loaded from --------------------------------------------------------
def test_policy_folder_honours_the_environment_variable(tmp_path, monkeypatch):
    assert POLICIES_ENV == "EMBODIED_POLICIES"
    assert policy_folder("go1", "walk") == POLICIES_DIR / "go1" / "walk"
    monkeypatch.setenv(POLICIES_ENV, str(tmp_path))
    assert policy_folder("go1", "walk") == tmp_path / "go1" / "walk"
    assert policy_folder("h1", "walk") == tmp_path / "h1" / "walk"
    monkeypatch.setenv(POLICIES_ENV, "")  # empty means unset
    assert policy_folder("go1", "get_up") == POLICIES_DIR / "go1" / "get_up"
    assert policy_module.POLICIES_DIR.name == "policies"


def test_skills_load_from_the_environment_variable(policy_dir, monkeypatch):
    root = policy_dir.parent.parent
    monkeypatch.setenv(POLICIES_ENV, str(root))
    policy = legged.policy_for("go1", "walk")
    assert policy.folder == root / "go1" / "walk" and policy.metrics == {"env_steps": 0}
    assert legged.policy_for("go1", "walk") is policy  # cached
    with pytest.raises(EmbodiedError, match="missing") as error:  # no get_up policy in that folder
        legged.policy_for("go1", "get_up")
    assert_policy_error(error, root / "go1" / "get_up" / "policy.pt")


def test_eval_skill_policies_folder_that_does_not_exist(tmp_path, capsys):
    missing = tmp_path / "no-such-folder"
    status = main(["eval-skill", "--robot", "go1", "--skill", "walk", "--episodes", "1", "--policies", str(missing)])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "--policies" in err and str(missing) in err and "no such folder" in err


def test_eval_skill_policies_folder_without_the_skill(tmp_path, capsys):
    """A --policies folder that exists but lacks <robot>/<skill>/: the missing file is named."""
    status = main(["eval-skill", "--robot", "go1", "--skill", "stand", "--episodes", "1", "--policies", str(tmp_path),
                   "--json"])  # --json: no progress bar on stderr
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert str(tmp_path / "go1" / "walk" / "policy.pt") in err and HOW_TO_TRAIN in err


def test_eval_skill_uses_the_policies_folder(tmp_path, capsys):
    """eval-skill --policies DIR drives the skill with DIR/go1/walk (here a copy of the shipped policy)."""
    shutil.copytree(POLICIES_DIR / "go1" / "walk", tmp_path / "go1" / "walk")
    status = main(["eval-skill", "--robot", "go1", "--skill", "stand", "--episodes", "1", "--seed", "0",
                   "--policies", str(tmp_path), "--json"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    summary = json.loads(captured.out)
    assert summary["skill"] == "stand" and summary["episodes"] == 1 and summary["success_rate"] == 1.0
    assert legged._POLICIES[("go1", "walk")].folder == tmp_path / "go1" / "walk"


def test_rollouts_from_an_env_answering_in_tensors_are_the_same():
    """With the learner on a GPU the VectorEnv answers in torch tensors (its task on torch too);
    PPO collects the same rollout from it as from NumPy answers, time-out bootstraps included."""
    import dataclasses

    from embodied.envs.vector import EmbodiedVectorEnv

    config = dataclasses.replace(get_task(TASK), max_steps=10)  # time-outs within one rollout
    rollouts, returns = [], []
    for as_torch in (False, True):
        torch.manual_seed(0)
        envs = EmbodiedVectorEnv(config, num_envs=3, torch=as_torch, arrays="torch" if as_torch else "numpy")
        obs, _ = envs.reset(seed=0)
        assert isinstance(obs["state"], torch.Tensor) == as_torch
        ppo = PPO(obs["state"].shape[1], envs.single_action_space.shape[0], PPOConfig(), device="cpu")
        tracker = {"return": np.zeros(3), "length": np.zeros(3, dtype=np.int64)}
        rollout, _ = ppo.collect(envs, obs["state"], tracker)
        rollouts.append(rollout)
        returns.append(rollout.episode_returns)
        envs.close()
    assert len(returns[0]) >= 3 and returns[0] == pytest.approx(returns[1], abs=1e-5)
    for name in ("obs", "actions", "rewards", "dones", "values", "log_probs"):
        torch.testing.assert_close(getattr(rollouts[1], name), getattr(rollouts[0], name), rtol=0, atol=1e-5)
