"""Command-line subcommands of Mind's Eye: qa, qa-eval, utopia generate, mindseye train.

`register(subparsers)` adds them to the main `embodied` argparse parser; each handler takes
the parsed args, prints its result to stdout and returns the exit status. User errors are
raised as EmbodiedError for the main CLI to print as one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from embodied.errors import EmbodiedError

_FMT = argparse.RawDescriptionHelpFormatter

QA_EPILOG = """examples:
  embodied qa "X is heavier than Y. Both are dropped from the same height. Which lands first?" --choices X Y "the same"
  embodied qa "The red ball hits the blue ball, which is at rest; the red ball is heavier. The collision is elastic. Which moves faster afterwards?" --choices "the red ball" "the blue ball" "the same" --json
  embodied qa "..." --choices X Y "the same" --lm openai:gpt-4o-mini --mode grounded
    (LM base URL from OPENAI_BASE_URL, default https://api.openai.com/v1; key from OPENAI_API_KEY)

The question is read into a scene spec (scene, which object is heavier/higher/faster/..., the
asked quantity), simulated --samples times with sampled absolute values in one MuJoCo batch,
and answered with the choice the simulations support. Questions outside falling, projectiles,
pushes, friction, inclines and collisions get "unsupported"."""

EVAL_EPILOG = """examples:
  embodied utopia generate --per-subtask 100 --seed 1 -o data/utopia.jsonl
  embodied qa-eval data/utopia.jsonl
  embodied qa-eval data/mindseye/handwritten.jsonl --json
  embodied qa-eval data/utopia.jsonl --lm openai:gpt-4o-mini --mode grounded --shots 2

Each line of FILE is {"question": ..., "choices": [...], "answer": ...} with optional "id",
"scene" and "subtask"; "answer" is one of the choices or "unsupported"."""


def _lm_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lm", metavar="SPEC", default=None,
                   help="answer with a language model, openai:MODEL (any OpenAI-compatible endpoint)")
    p.add_argument("--mode", choices=("vanilla", "grounded"), default="grounded",
                   help="with --lm: vanilla = the question alone; grounded = simulation rationale as a hint")
    p.add_argument("--shots", type=int, default=0, help="with --lm: worked examples in the prompt (0-8)")
    p.add_argument("--samples", type=int, default=64, help="simulations per question (default 64)")
    p.add_argument("--seed", type=int, default=0, help="seed of the sampled absolute values")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def register(subparsers: Any) -> None:
    """Add the qa, qa-eval, utopia and mindseye subcommands."""
    qa = subparsers.add_parser("qa", help="answer a physics question by simulating it", description=QA_EPILOG,
                               formatter_class=_FMT)
    qa.add_argument("question", help="the question, in words")
    qa.add_argument("--choices", nargs="+", default=["X", "Y", "the same"],
                    help='answer choices (default: X Y "the same")')
    qa.add_argument("--task", default=None,
                    help="answer about this task's own scene (e.g. embodied/PandaPushRegion-v0) by imagining it "
                         "in the agent's world model; e.g. \"if I push the red cube to the left, will it fall off "
                         "the table?\"; --seed then picks the scene")
    qa.add_argument("--belief", default=None, help="with --task: an `embodied agent --json` log (its final_belief)")
    _lm_args(qa)
    qa.set_defaults(func=cmd_qa)

    ev = subparsers.add_parser("qa-eval", help="evaluate on a JSONL file of questions", description=EVAL_EPILOG,
                               formatter_class=_FMT)
    ev.add_argument("file", help="JSONL questions")
    ev.add_argument("--limit", type=int, default=None, help="only the first N questions")
    ev.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    _lm_args(ev)
    ev.set_defaults(func=cmd_eval)

    ut = subparsers.add_parser("utopia", help="UTOPIA-style dataset tools", description=EVAL_EPILOG,
                               formatter_class=_FMT)
    ut_sub = ut.add_subparsers(dest="utopia_command", metavar="{generate}")
    ut_sub.required = True
    gen = ut_sub.add_parser("generate", help="generate questions with simulated answers",
                            description="Generate UTOPIA-style questions (41 sub-tasks) worded from the held-out "
                                        "phrasing pool, answered by simulation; ambiguous items are dropped.",
                            epilog="example: embodied utopia generate --per-subtask 100 --seed 1 -o data/utopia.jsonl",
                            formatter_class=_FMT)
    gen.add_argument("--per-subtask", type=int, default=100, help="questions per sub-task before ambiguous ones are dropped (default 100)")
    gen.add_argument("--seed", type=int, default=1, help="(the converter trained with seed 0 on other wordings)")
    gen.add_argument("--samples", type=int, default=64, help="simulations per question for the ground truth (default 64)")
    gen.add_argument("--pool", choices=("eval", "train", "all"), default="eval",
                     help="phrasing pool (eval = wordings held out from converter training)")
    gen.add_argument("--names", action="store_true", help='name the objects ("the red ball") instead of X and Y')
    gen.add_argument("-o", "--output", required=True, help="output JSONL path")
    gen.set_defaults(func=cmd_generate)

    me = subparsers.add_parser("mindseye", help="Mind's Eye converter tools", formatter_class=_FMT,
                               description="Retrain the question -> scene-spec converter.",
                               epilog="example: embodied mindseye train --per-subtask 120 --negatives 1200")
    me_sub = me.add_subparsers(dest="mindseye_command", metavar="{train}")
    me_sub.required = True
    tr = me_sub.add_parser("train", help="train the converter's classifier", formatter_class=_FMT,
                           description="Train the question classifier on generated phrasings (training pool) and "
                                       "write policies/mindseye/converter.pt, fast.pt, converter.json, metrics.json.",
                           epilog="examples:\n  embodied mindseye train\n  embodied mindseye train --per-subtask 200 "
                                  "--negatives 2000 -o /tmp/converter\n  embodied mindseye train --fast-only")
    from embodied.mindseye.train import add_arguments

    add_arguments(tr)
    tr.set_defaults(func=cmd_train)


def _answerer(args: argparse.Namespace) -> Any:
    from embodied.mindseye.answer import BuiltinAnswerer, LMAnswerer, parse_lm_spec

    if args.samples < 1 or args.samples > 4096:
        raise EmbodiedError(f"--samples must be between 1 and 4096, got {args.samples}")
    builtin = BuiltinAnswerer(samples=args.samples, seed=args.seed)
    if args.lm:
        if not 0 <= args.shots <= 8:
            raise EmbodiedError(f"--shots must be between 0 and 8, got {args.shots}")
        return LMAnswerer(parse_lm_spec(args.lm), args.mode, args.shots, builtin=builtin)
    return builtin


def cmd_qa(args: argparse.Namespace) -> int:
    if args.task:
        return _scene_qa(args)
    if len(args.choices) < 2:
        raise EmbodiedError(f"--choices needs at least two choices, got {args.choices}")
    answer = _answerer(args).answer(args.question, args.choices)
    if answer.extra.get("error"):
        raise EmbodiedError(answer.extra["error"])
    if args.json:
        print(json.dumps(answer.to_dict()))
    else:
        print(f"answer: {answer.answer}  (confidence {answer.confidence:.2f}, {answer.simulations} simulations)")
        print(answer.rationale)
    return 0


def _scene_qa(args: argparse.Namespace) -> int:
    from embodied.agent.scene_qa import answer_scene_question

    belief = None
    if args.belief:
        try:
            loaded = json.loads(Path(args.belief).read_text())
        except (OSError, ValueError) as error:
            raise EmbodiedError(f"cannot read the belief file {args.belief}: {error}") from None
        belief = loaded.get("final_belief", loaded) if isinstance(loaded, dict) else None
    out = answer_scene_question(args.question, args.task, args.seed, belief)
    if args.json:
        print(json.dumps(out))
    else:
        print(f"answer: {out['answer']}  (confidence {out['confidence']:.2f}, {out['simulations']} simulations)")
        print(out["rationale"])
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from embodied.mindseye.evaluate import evaluate, read_jsonl, table

    items = read_jsonl(args.file)
    if args.limit is not None:
        items = items[: args.limit]
    result = evaluate(items, _answerer(args), progress=not args.no_progress)
    if args.json:
        print(json.dumps(result))
    else:
        print(table(result))
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from embodied.mindseye.spec import SUBTASKS
    from embodied.mindseye.utopia import generate, write_jsonl

    total = len(SUBTASKS) * (args.per_subtask + max(2, args.per_subtask // 5))
    with tqdm(total=total, desc="simulating", unit="q", file=sys.stderr, mininterval=1.0) as bar:
        items = generate(args.per_subtask, args.seed, args.samples, args.pool, args.names, progress=bar.update)
    write_jsonl(items, args.output)
    print(f"wrote {len(items)} questions ({len(SUBTASKS)} sub-tasks) to {args.output}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from embodied.mindseye.train import train_from_args

    print(json.dumps(train_from_args(args)))
    return 0
