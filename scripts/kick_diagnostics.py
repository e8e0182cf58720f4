"""Diagnostics behind the Go1 kick's development figures in docs/agent.md (not evaluations).

    python scripts/kick_diagnostics.py turn       # yaw rate by actuator strength: turning in place vs walking
    python scripts/kick_diagnostics.py strike     # one strike in 48 random worlds: how often the ball goes forward
    python scripts/kick_diagnostics.py sighting   # ball sighting error from each camera over random poses
    python scripts/kick_diagnostics.py episode --seed 47   # one closed-loop episode: where the ball ends

They use random worlds of their own, never the evaluation seeds of `embodied eval-agent`.
"""

from __future__ import annotations

import argparse

import gymnasium as gym
import numpy as np

import embodied.envs  # noqa: F401  (registers the envs)
from embodied.agent.legged import KickIntoGoal, StrikeController, Walker, base_yaw, drive


def _kick_objective() -> tuple[gym.Env, KickIntoGoal, dict]:
    env = gym.make("embodied/Go1KickBall-v0", cameras=[])
    objective = KickIntoGoal()
    env.reset(seed=1000)
    if objective.setup(env) is not None:
        raise SystemExit("the kick scene did not set up")
    return env, objective, objective.proprioception(env.unwrapped.task)


def turn(args: argparse.Namespace) -> None:
    """Mean yaw rate over 3 s for a 1 rad/s turn command, in place and while walking 0.3 m/s."""
    _, objective, estimate = _kick_objective()
    estimate.update({"ball": estimate["base_qpos"][:2] + [5.0, 5.0], "ball_vel": np.zeros(2)})
    strengths = np.array([0.75, 0.85, 1.0, 1.2])
    params = np.stack([strengths, np.full(len(strengths), 0.01), np.full(len(strengths), 0.3)], axis=1)
    for label, command in (("in place", (0.0, 0.0, 1.0)), ("walking 0.3 m/s", (0.3, 0.0, 1.0))):
        task = objective.start_worlds(estimate, params, 1)
        walker, previous, turned = Walker(task), base_yaw(task).copy(), np.zeros(len(strengths))
        steps = int(3.0 / task.dt)
        for _ in range(steps):
            task.step(walker.act(np.tile(command, (len(strengths), 1))))
            yaw = base_yaw(task)
            turned += (yaw - previous + np.pi) % (2 * np.pi) - np.pi
            previous = yaw.copy()
        rates = ", ".join(f"strength {s:.2f}: {r:.2f} rad/s" for s, r in zip(strengths, turned / (steps * task.dt)))
        print(f"{label:16} {rates}")


def strike(args: argparse.Namespace) -> None:
    """One 0.9 m/s, 2.5 s strike in 48 random worlds; success: ball 0.8 m forward, robot up."""
    _, objective, estimate = _kick_objective()
    rng = np.random.default_rng(args.seed)
    n = 48
    angle, distance = rng.uniform(-np.pi, np.pi, n), rng.uniform(0.3, 1.5, n)
    balls = estimate["base_qpos"][:2] + np.stack([distance * np.cos(angle), distance * np.sin(angle)], axis=1)
    params = np.stack([rng.uniform(0.75, 1.2, n), np.exp(rng.uniform(np.log(0.002), np.log(0.04), n)),
                       rng.uniform(0.15, 1.0, n)], axis=1)
    estimate.update({"ball": balls[0], "ball_vel": np.zeros(2)})
    task = objective.start_worlds(estimate, params, 1)
    address = task.scene.ball_qpos
    task.sim.qpos[:, address:address + 2] = balls
    task.sim.forward()
    steps = [{"ball": list(b), "aim": [4.5, 0.0], "speed": 0.9, "push": 2.5, "stop_x": 4.25} for b in balls]
    final = drive(task, StrikeController(task, steps), task.step, objective._snapshot)
    ok = (final[:, 0] - balls[:, 0] > 0.8) & (final[:, -1] == 0)
    weak = params[:, 0] < 0.9
    print(f"seed {args.seed}: {ok.sum()}/{n} worlds; weak robots (strength < 0.9): {(ok & weak).sum()}/{weak.sum()}; "
          f"falls: {int(final[:, -1].sum())}")


def sighting(args: argparse.Namespace) -> None:
    """The ball's estimated centre against the truth, from each camera, over random poses."""
    from embodied.agent.legged import (  # the perception of commit 7369a8e on
        BALL_RADIUS,
        CAMERAS,
        IMAGE,
        best_view,
        colour_mask,
        see,
    )

    env, objective, _ = _kick_objective()
    task = env.unwrapped.task
    address = task.scene.ball_qpos
    # the pose of the lost ball of seed 11: facing away from the goal, the ball 1.87 m ahead
    x, y, yaw = 3.17, 0.15, -2.8
    task.sim.qpos[0, 0:2] = [x, y]
    task.sim.qpos[0, 3:7] = [np.cos(yaw / 2), 0.0, 0.0, np.sin(yaw / 2)]
    task.sim.qpos[0, address:address + 2] = [x + 1.87 * np.cos(yaw), y + 1.87 * np.sin(yaw)]
    task.sim.forward()
    pixels = {camera: int(colour_mask(task.render(0, camera, *IMAGE), "white").sum()) for camera in CAMERAS}
    print(f"facing away from the goal, white pixels per camera: {pixels}")
    rng = np.random.default_rng(args.seed)
    for _ in range(args.poses):
        x, y, yaw = rng.uniform(-1, 3), rng.uniform(-1.5, 1.5), rng.uniform(-np.pi, np.pi)
        distance, bearing = rng.uniform(0.5, 2.5), rng.uniform(-0.5, 0.5)
        task.sim.qpos[0, 0:2] = [x, y]
        task.sim.qpos[0, 3:7] = [np.cos(yaw / 2), 0.0, 0.0, np.sin(yaw / 2)]
        ball = np.array([x + distance * np.cos(yaw + bearing), y + distance * np.sin(yaw + bearing)])
        task.sim.qpos[0, address:address + 2] = ball
        task.sim.forward()
        errors = {}
        for camera, points in see(task, "white", (0.01, 0.25)):
            centre = best_view(task, [(camera, points[objective._clear_of_posts(points)])], BALL_RADIUS)
            errors[camera] = "not seen" if centre is None else f"{100 * np.linalg.norm(centre - ball):.1f} cm"
        print(f"ball {distance:.2f} m away: {errors or 'not seen'}")


def episode(args: argparse.Namespace) -> None:
    """One closed-loop episode of `eval-agent --objective kick`, and where the ball ends."""
    from embodied.agent.core import run_episode

    env = gym.make("embodied/Go1KickBall-v0", cameras=[])
    objective = KickIntoGoal()
    log = run_episode(env, objective, args.seed, "closed")
    task = env.unwrapped.task
    ball = task.ball_pos[0, :2]
    seen = objective.sight_ball(task)
    print(f"seed {args.seed}: stopped: {log.stopped}; success (truth): {log.success}")
    print(f"ball past the goal line by {100 * (ball[0] - objective.goal[0]):.1f} cm (truth)"
          + ("" if seen is None else f", {100 * (seen[0] - objective.goal[0]):.1f} cm (camera)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("turn", help="yaw rate by actuator strength").set_defaults(run=turn)
    p = commands.add_parser("strike", help="one strike in 48 random worlds")
    p.add_argument("--seed", type=int, default=0, help="random worlds (default 0)")
    p.set_defaults(run=strike)
    p = commands.add_parser("sighting", help="ball sighting error from each camera")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--poses", type=int, default=8)
    p.set_defaults(run=sighting)
    p = commands.add_parser("episode", help="one closed-loop kick episode: where the ball ends")
    p.add_argument("--seed", type=int, required=True, help="an eval-agent episode seed")
    p.set_defaults(run=episode)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
