"""The agent's cycle: plan in imagination, act, observe, compare, update the belief, repeat.

Reality is one env of a task whose hidden physical parameters (friction, mass, actuator
strength, ...) are drawn at random and never shown to the agent. The agent's world model
is a batch of simulations of the same scene, one per parameter vector sampled from its
belief. An `Objective` supplies the pieces that depend on what is asked: how to perceive
the scene from the camera and the robot's own joints, which candidate plans to consider,
how to imagine a plan in a batch, how to score an imagined outcome, how to execute a
plan's first step in reality, and what outcome was observed. This module runs the cycle
over any objective, in three modes:

- "closed": replan every cycle from what was observed, with belief updates;
- "no-update": replan every cycle, but keep believing the nominal parameters;
- "open": choose a plan once with the nominal parameters and execute all of it blind.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from embodied.agent.belief import Belief, ParamPrior
from embodied.errors import EmbodiedError

MODES = ("closed", "no-update", "open")
VIDEO_SIZE = (240, 320)


class UnsuitableScene(EmbodiedError):
    """The reset scene cannot host the objective (e.g. no two stackable props): an evaluation skips the seed."""


@dataclass
class Plan:
    """A candidate: skill steps with their arguments (JSON-able), and a short description."""

    steps: list[dict[str, Any]]
    label: str
    cost: float = 0.0  # what the plan costs whatever its outcome (e.g. squeezing harder than needed), in score units

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "steps": self.steps, **({"cost": self.cost} if self.cost else {})}


@dataclass
class Status:
    """Where the objective stands, judged from the agent's own estimate."""

    state: str  # "running" | "success" | "impossible"
    reason: str = ""


class Objective(ABC):
    """What the agent pursues; subclasses implement the objective-specific pieces."""

    name: str = ""
    priors: tuple[ParamPrior, ...] = ()
    outcome_noise: float | tuple[float, ...] = 0.02  # how far reality may stray from a perfect model
    samples: int = 16  # belief samples per candidate in one imagination batch
    max_cycles: int = 5

    @abstractmethod
    def setup(self, env: Any) -> str | None:
        """Prepare for an episode already reset; the reason the objective cannot be pursued, or None."""

    @abstractmethod
    def apply_params(self, task: Any, params: np.ndarray) -> None:
        """Write (num_envs, p) physical parameters into the task's worlds (reality or imagination)."""

    @abstractmethod
    def perceive(self, env: Any) -> dict[str, Any]:
        """The agent's estimate of the state, from camera frames and proprioception only."""

    @abstractmethod
    def status(self, estimate: dict[str, Any]) -> Status:
        ...

    @abstractmethod
    def candidates(self, estimate: dict[str, Any], rng: np.random.Generator) -> list[Plan]:
        ...

    @abstractmethod
    def imagine(self, estimate: dict[str, Any], plans: list[Plan], params: np.ndarray,
                rng: np.random.Generator, first_step_only: bool = True) -> np.ndarray:
        """(len(plans), len(params), k) outcomes of each plan under each parameter vector, in one batch.

        Rows with a non-finite outcome are worlds that diverged."""

    @abstractmethod
    def score(self, estimate: dict[str, Any], outcomes: np.ndarray) -> np.ndarray:
        """(..., k) outcomes -> (...) how well each achieves the objective (higher is better)."""

    @abstractmethod
    def execute(self, env: Any, plan: Plan, on_step: Callable[[Any], None] | None,
                first_step_only: bool = True) -> dict[str, Any]:
        """Run the plan's first step (or all of it) in reality; a JSON-able report."""

    @abstractmethod
    def observe_outcome(self, before: dict[str, Any], after: dict[str, Any]) -> np.ndarray:
        """The (k,) outcome seen between two estimates, in the units `imagine` predicts."""

    @abstractmethod
    def judge(self, env: Any) -> bool:
        """Whether the objective is really achieved (the evaluator's view: simulator truth)."""

    def describe_outcome(self, outcome: np.ndarray) -> list[float]:
        return [round(float(v), 4) for v in outcome]

    def hopeless(self, estimate: dict[str, Any], outcomes: np.ndarray) -> str | None:
        """Why the best plan's imagined (samples, k) outcomes say the objective cannot be met, or None.

        The agent then stops and reports it as impossible instead of acting; by default it never does.
        """
        return None


@dataclass
class EpisodeLog:
    objective: str
    mode: str
    hidden: dict[str, float]
    cycles: list[dict[str, Any]] = field(default_factory=list)
    success: bool = False
    stopped: str = ""
    belief: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"objective": self.objective, "mode": self.mode, "success": self.success, "stopped": self.stopped,
                "cycles": self.cycles, "final_belief": self.belief, "hidden_parameters": self.hidden,
                "seconds": round(self.seconds, 2)}


class Recorder:
    """Frames of reality from the overview camera, for `--video`."""

    def __init__(self, task: Any) -> None:
        self.task = task
        self.frames: list[np.ndarray] = [task.render(0, "overview", *VIDEO_SIZE)]
        self.every = max(1, int(round(0.04 / task.dt)))  # about 25 frames per second of sim time
        self.count = 0

    def __call__(self, env: Any) -> None:
        self.count += 1
        if self.count % self.every == 0:
            self.frames.append(self.task.render(0, "overview", *VIDEO_SIZE))

    def write(self, path: str | Path) -> None:
        import imageio.v2 as imageio

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fps = max(1, int(round(1.0 / (self.every * self.task.dt))))
        if path.suffix == ".gif":
            imageio.mimsave(path, self.frames, fps=fps)
        else:
            imageio.mimsave(path, self.frames, fps=fps, macro_block_size=8)


def draw_hidden(objective: Objective, seed: int) -> np.ndarray:
    """Reality's hidden parameters for an episode: a stream of its own, apart from the scene's."""
    rng = np.random.default_rng([seed, 7919])
    return np.array([prior.draw(rng) for prior in objective.priors])


def _replayer(objective: Objective, estimate: dict[str, Any], plan: Plan,
              rng: np.random.Generator) -> Callable[[np.ndarray], np.ndarray]:
    """params (n, p) -> (n, k): the executed plan imagined again from the state it started in."""
    return lambda params: objective.imagine(estimate, [plan], params, rng)[0]


def run_episode(env: Any, objective: Objective, seed: int, mode: str = "closed", video: str | Path | None = None,
                hidden: np.ndarray | None = None) -> EpisodeLog:
    """Reset `env` with `seed`, hide parameters in it, and pursue the objective in `mode`."""
    if mode not in MODES:
        from embodied.errors import UnknownNameError

        raise UnknownNameError("agent mode", mode, MODES)
    start = time.perf_counter()
    env.reset(seed=seed)
    task = env.unwrapped.task
    hidden = draw_hidden(objective, seed) if hidden is None else np.asarray(hidden, float)
    objective.apply_params(task, hidden[None])
    log = EpisodeLog(objective.name, mode, {p.name: round(float(v), 4) for p, v in zip(objective.priors, hidden)})
    rng = np.random.default_rng([seed, 104729])
    recorder = Recorder(task) if video else None
    belief = Belief(objective.priors) if mode == "closed" else Belief.nominal(objective.priors)
    try:
        problem = objective.setup(env)
        if problem:
            log.stopped = problem
            return log
        estimate = objective.perceive(env)
        cycles = 1 if mode == "open" else objective.max_cycles
        for cycle in range(cycles):
            status = objective.status(estimate)
            if status.state != "running":
                log.stopped = status.reason
                break
            entry: dict[str, Any] = {"cycle": cycle, "belief_before": belief.summary()}
            plans = objective.candidates(estimate, rng)
            if not plans:
                log.stopped = "no candidate plan"
                break
            params = belief.sample(objective.samples, rng)
            blind = mode == "open"
            outcomes = objective.imagine(estimate, plans, params, rng, first_step_only=not blind)
            finite = np.all(np.isfinite(outcomes), axis=2)
            if not finite.any():
                log.stopped = "the world model diverged for every plan and sample; stopping"
                break
            scores = np.where(finite, objective.score(estimate, np.nan_to_num(outcomes)), -np.inf)
            expected = np.array([row[np.isfinite(row)].mean() - plan.cost if np.isfinite(row).any() else -np.inf
                                 for row, plan in zip(scores, plans, strict=True)])
            best = int(np.argmax(expected))
            hopeless = objective.hopeless(estimate, outcomes[best][finite[best]])
            if hopeless:
                log.stopped = hopeless
                break
            predicted = np.nanmean(np.where(finite[best][:, None], outcomes[best], np.nan), axis=0)
            entry.update({"candidates": len(plans), "imagined": int(outcomes.shape[0] * outcomes.shape[1]),
                          "plan": plans[best].to_json(), "expected_score": round(float(expected[best]), 4),
                          "predicted": objective.describe_outcome(predicted)})
            report = objective.execute(env, plans[best], recorder, first_step_only=not blind)
            entry["executed"] = report
            after = objective.perceive(env)
            observed = objective.observe_outcome(estimate, after)
            error = float(np.linalg.norm(predicted - observed))
            entry.update({"observed": objective.describe_outcome(observed), "prediction_error": round(error, 4),
                          "relative_error": round(error / max(float(np.linalg.norm(observed)), 1e-3), 4)})
            if mode == "closed" and not np.all(np.isfinite(observed)):
                entry["fit"] = {"skipped": "the outcome was not observed (the prop was lost from view)"}
            elif mode == "closed":
                replay = _replayer(objective, estimate, plans[best], np.random.default_rng(rng.integers(1 << 31)))
                try:
                    entry["fit"] = belief.update(replay, observed, objective.outcome_noise, rng)
                except EmbodiedError as error_:
                    entry["fit"] = {"error": str(error_)}
            entry["belief_after"] = belief.summary()
            log.cycles.append(entry)
            estimate = after
        else:
            status = objective.status(estimate)
            log.stopped = status.reason if status.state != "running" else \
                f"step budget spent ({cycles} cycle{'s' * (cycles != 1)})"
    finally:
        log.success = bool(objective.judge(env))
        log.belief = belief.summary()
        log.seconds = time.perf_counter() - start
        if recorder is not None and video:
            recorder.write(video)
    return log
