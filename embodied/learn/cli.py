"""`embodied train`: the command-line face of embodied.learn.train."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from embodied.learn.train import TrainSettings, train


def cmd_train(args: argparse.Namespace) -> int:
    if args.minutes is None and args.iterations is None:
        args.minutes = 15.0
    settings = TrainSettings(
        task=args.task, num_envs=args.num_envs, minutes=args.minutes, iterations=args.iterations,
        seed=args.seed, backend=args.backend, device=args.device, resume=args.resume,
        run_dir=Path(args.run_dir) if args.run_dir else None, out_dir=Path(args.out) if args.out else None,
    )
    metrics = train(settings)
    if args.json:
        print(json.dumps(metrics, indent=2))
    else:
        where = metrics.get("policy_dir", "not exported (interrupted: --resume to continue)")
        print(f"{metrics['iterations']} iterations, {metrics['env_steps']:,} env steps in "
              f"{metrics['wall_clock_s']:.0f} s ({metrics['env_steps_per_s']:,.0f}/s); policy: {where}")
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "train", help="train a skill policy with PPO on a batched task",
        description="PPO on gymnasium.make_vec(TASK, num_envs=N). Checkpoints go to runs/<task>-s<seed>/ "
                    "every few iterations and on Ctrl-C; --resume continues. The finished policy is written "
                    "to policies/<robot>/<skill>/ with its config and metrics.",
        epilog="example: embodied train --task embodied/Go1Walk-v0 --backend cpu --num-envs 1024 --minutes 15",
    )
    parser.add_argument("--task", required=True, help="task id, e.g. embodied/Go1Walk-v0")
    parser.add_argument("--num-envs", type=int, default=1024, help="parallel envs (default 1024)")
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--minutes", type=float, help="wall-clock budget in minutes (default 15)")
    budget.add_argument("--iterations", type=int, help="number of PPO iterations instead of a time budget")
    parser.add_argument("--seed", type=int, default=0, help="seed for envs, network and sampling (default 0)")
    parser.add_argument("--backend", default="cpu", help="physics backend: cpu or warp (default cpu)")
    parser.add_argument("--device", help="warp device (default: first CUDA device)")
    parser.add_argument("--resume", action="store_true", help="continue the run's checkpoint")
    parser.add_argument("--run-dir", help="folder for checkpoints and TensorBoard logs (default runs/<task>-s<seed>)")
    parser.add_argument("--out", help="folder for the exported policy (default policies/<robot>/<skill>)")
    parser.add_argument("--json", action="store_true", help="print the final metrics as JSON")
    parser.set_defaults(func=cmd_train, minutes=None)
