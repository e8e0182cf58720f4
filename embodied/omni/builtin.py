"""The built-in omnimodel: frozen MiniLM sentence embeddings + a small CNN trained here.

`BuiltinOmnimodel.plan(frames, depth, command, robot, skills, camera_info)`:
1. text rules: refuse empty / too long / non-Latin commands; cut the command into steps;
   find negations ("don't") and refuse contradictions;
2. skill head: each step's sentence embedding -> a skill, "unsupported", "foreign" or
   "remark" (asks for nothing: "thanks", "it's in my way"); steps that only restate the
   previous action ("..., just push it") or prepare the next ("go over and ...") are merged;
3. grounding: for steps about a prop, only the words that describe the prop ("crimson brick",
   cut out of the step by `language.object_phrase`) FiLM-condition a heatmap over the
   overview frame, so the verb around them cannot move it; a strong "absent" logit, or a
   description of no kind of prop ("giraffe"), means "I see no ..."; the peak pixel, the
   depth image and the camera's intrinsics and pose give the 3-D point the skill receives;
   colour/shape heads name the prop found there (for skills whose schema takes a name).
The props' simulator state is never an input here; only pixels, depth and the camera.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from embodied.errors import EmbodiedError
from embodied.omni import language as L
from embodied.omni.camera import CameraInfo, depth_at, ray_direction, unproject
from embodied.omni.plan import Plan, SkillCall, accepts_point, accepts_string, schemas_by_name, validate_plan

POLICY_DIR = Path(__file__).resolve().parents[2] / "policies" / "omni"
ABSENT_THRESHOLD = 0.5
OTHER_READING = 0.1  # how likely a second reading must be to resolve a step that a negation rules out
SURFACE_TO_CENTRE = 0.02  # metres from the visible surface to a prop's centre, along the ray
HALF_HEIGHT = {"cube": 0.02, "ball": 0.02, "cylinder": 0.0216}  # the tabletop tasks' props
_PARAM_UNITS = {"distance": (("cm", 0.01), ("mm", 0.001), ("m", 1.0))}


class BuiltinOmnimodel:
    name = "builtin"

    def __init__(self, path: str | Path | None = None, threads: int | None = 1) -> None:
        # one thread: a decision is small (~20 ms on one core); with two, on a machine whose
        # cores other jobs use, torch's threads wait on each other (median ~500 ms measured)
        import torch

        from embodied.omni.encoder import get_encoder
        from embodied.omni.network import OmniNet

        path = Path(path) if path else POLICY_DIR
        weights = path / "omni.pt"
        if not weights.exists():
            raise EmbodiedError(f"no trained omnimodel at {weights}; run `embodied omni generate` and "
                                f"`embodied omni train` (or pass --model-dir)")
        self.config = json.loads((path / "config.json").read_text())
        self.torch = torch
        if threads:
            torch.set_num_threads(threads)
        self.classes = tuple(self.config["skill_classes"])
        self.colors, self.shapes = self.config["colors"], self.config["shapes"]
        self.crop, self.stride = tuple(self.config["crop"]), int(self.config["stride"])
        self.frame = tuple(self.config["frame"])
        self.net = OmniNet(len(self.classes), len(self.colors), len(self.shapes))
        self.net.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
        self.net.eval()
        self.encoder = get_encoder()
        self.camera = self.config.get("camera", "overview")
        # warm up (first calls allocate): decisions are then timed at their steady cost
        features, _, _ = self.features(np.zeros((*self.frame, 3), np.uint8))
        self.ground(features, ["the red cube"])
        self.classify(["pick up the red cube"])

    # ----- pieces ---------------------------------------------------------------------
    def skill_probabilities(self, texts: list[str]) -> np.ndarray:
        """(len(texts), classes) probabilities of the skill head."""
        with self.torch.no_grad():
            x = self.torch.from_numpy(self.encoder.encode(texts))
            return self.torch.softmax(self.net.skill_logits(x), dim=1).numpy()

    def classify(self, texts: list[str]) -> list[tuple[str, float]]:
        """The skill of each step. Where the head is unsure (p < 0.5) and its choice lacks the
        argument it cannot do without (a place with no destination, a push with no direction),
        the likeliest skill whose arguments the words do give is taken instead."""
        probs = self.skill_probabilities(texts)
        out = []
        for text, p in zip(texts, probs):
            order = [int(i) for i in np.argsort(-p)]
            best = order[0]
            if p[best] < 0.5 and _lacks_arguments(self.classes[best], text):
                best = next((i for i in order if not _lacks_arguments(self.classes[i], text)), best)
            out.append((self.classes[best], float(p[best])))
        return out

    def _other_prop_skill(self, text: str, skill: str, table: dict[str, Any]) -> tuple[str, float] | None:
        """The next likeliest prop skill of a step that names a prop, if the head gives it at
        least OTHER_READING; None when the step has no other plausible reading."""
        if skill not in L.PROP_SKILLS or not L.object_phrase(text):
            return None
        probs = self.skill_probabilities([text])[0]
        for index in np.argsort(-probs):
            other = self.classes[int(index)]
            if other != skill and other in L.PROP_SKILLS and other in table and probs[index] >= OTHER_READING:
                return other, float(probs[index])
        return None

    def features(self, rgb: np.ndarray) -> tuple[Any, float, float]:
        """CNN features of a frame, and the (sy, sx) scale from the model's frame to the given one."""
        torch = self.torch
        image = torch.from_numpy(np.ascontiguousarray(rgb[..., :3])).permute(2, 0, 1).float()[None]
        h, w = rgb.shape[:2]
        if (h, w) != self.frame:
            image = torch.nn.functional.interpolate(image, size=self.frame, mode="bilinear", align_corners=False)
        top, bottom, left, right = self.crop
        with torch.no_grad():
            return self.net.features(image[:, :, top:bottom, left:right]), h / self.frame[0], w / self.frame[1]

    def ground(self, features: Any, texts: list[str]) -> list[dict[str, Any]]:
        """For each phrase: p_absent, the peak pixel (model frame) and the colour/shape seen there."""
        torch = self.torch
        vectors = torch.from_numpy(self.encoder.encode(texts))
        with torch.no_grad():
            logits = self.net.heatmap(features.expand(len(texts), -1, -1, -1), vectors)
            probs = torch.softmax(logits, dim=1).numpy()
            colors, shapes = (a[0].numpy() for a in self.net.attribute_logits(features))
        h, w = features.shape[2], features.shape[3]
        top, _, left, _ = self.crop
        out = []
        for p in probs:
            cells = p[:-1].reshape(h, w)
            row, col = np.unravel_index(int(cells.argmax()), cells.shape)
            r0, r1, c0, c1 = max(0, row - 1), min(h, row + 2), max(0, col - 1), min(w, col + 2)
            window = cells[r0:r1, c0:c1]
            rows, cols = np.mgrid[r0:r1, c0:c1]
            weight = window / window.sum()
            v = top + self.stride * (float((rows * weight).sum()) + 0.5)
            u = left + self.stride * (float((cols * weight).sum()) + 0.5)
            # what is there: attribute probabilities averaged over the pointed window
            color_p = (_softmax(colors[:, r0:r1, c0:c1]) * weight).sum((1, 2))
            shape_p = (_softmax(shapes[:, r0:r1, c0:c1]) * weight).sum((1, 2))
            out.append({"absent": float(p[-1]), "present": float(window.sum()), "pixel": (u, v),
                        "color": self.colors[int(color_p.argmax())], "shape": self.shapes[int(shape_p.argmax())],
                        "color_p": dict(zip(self.colors, color_p.tolist())),
                        "shape_p": dict(zip(self.shapes, shape_p.tolist()))})
        return out

    def locate(self, frames: dict[str, np.ndarray], depth: dict[str, np.ndarray] | None, phrase: str,
               camera_info: dict[str, Any] | None = None) -> dict[str, Any] | str:
        """One prop found by its description ("the red cube"), pixels only: the grounded point
        (its estimated centre, from the pixel, the depth and the intrinsics) with what the model
        saw there, or the reason it is not seen."""
        return _Frame(self, frames, depth, camera_info).find(phrase)

    # ----- planning -------------------------------------------------------------------
    def plan(self, frames: dict[str, np.ndarray], depth: dict[str, np.ndarray] | None, command: str, robot: str,
             skills: list[Any], camera_info: dict[str, Any] | None = None) -> Plan:
        table = schemas_by_name(skills)
        reason = L.precheck(command)
        if reason:
            return Plan.refuse(reason)
        steps = L.split_steps(command)
        if not steps:
            return Plan.refuse("the command is empty")
        negated = [L.is_negated(s) for s in steps]
        cores = [L.strip_negation(s) if n else s for s, n in zip(steps, negated)]
        # one encoder call for every phrase this plan may ground (the memo serves the rest)
        objects = [L.object_phrase(part) for c in cores for part in L.split_destination(c) if part]
        self.encoder.encode(cores + [o for o in objects if o])
        # "get close", "move in close": near, not a closed hand (before negations are matched)
        labels = [("reach", p) if skill == "close_gripper" and "reach" in table and _NEAR.search(core) else (skill, p)
                  for (skill, p), core in zip(self.classify(cores), cores)]
        positive = [i for i, n in enumerate(negated) if not n]
        for i in (i for i, n in enumerate(negated) if n):
            for j in positive:
                a, b = L.object_phrase(cores[i]), L.object_phrase(cores[j])
                if labels[i][0] == labels[j][0] and (a == b or not a or not b):
                    # "touch the X gently, don't grab it": the negation rules out the step's
                    # likeliest reading, not a reading the head also gives it
                    other = self._other_prop_skill(cores[j], labels[j][0], table)
                    if other is None:
                        return Plan.refuse(f"the command contradicts itself: {steps[j]!r} and {steps[i]!r}")
                    labels[j] = other
        if not positive:
            return Plan.refuse(f"the command only says what not to do ({steps[0]!r}); tell me what to do")
        # remarks ask for nothing ("thanks", "it's in my way"); a prop a remark names is the
        # "it" of the step after it ("that crimson block over there, grab it")
        actions = [i for i in positive if labels[i][0] != L.REMARK]
        if not actions:
            return Plan.refuse(f"I don't know how to {steps[positive[0]]}: it asks for no action I can do")
        if len(actions) > L.MAX_STEPS:
            return Plan.refuse(f"the command has {len(actions)} steps; I plan at most {L.MAX_STEPS} at a time")
        calls: list[SkillCall] = []
        scene = _Frame(self, frames, depth, camera_info)
        antecedent = ""
        for k, i in enumerate(positive):
            step, (skill, p) = cores[i], labels[i]
            named = L.object_phrase(step)
            if skill == L.REMARK:
                antecedent = named or antecedent
                continue
            if skill == L.FOREIGN:
                return Plan.refuse("I only understand English commands")
            if skill == L.UNSUPPORTED:
                return Plan.refuse(f"I don't know how to {step}")
            if skill in ("open_gripper", "pick", "reach") and "place" in table and _puts_held_prop(step, skill, calls):
                skill = "place"  # "let go over the blue cube", "lay what you hold on the Y": placed there
            if skill == "open_gripper" and not named and calls and calls[-1].skill == "place":
                continue  # "lower it onto the Y and let go": a place ends with the hand open
            if skill == "stand" and skill not in table and len(actions) > 1 and not named:
                continue  # "... and wait there": an arm holds still after a skill anyway
            if skill not in table:
                offered = ", ".join(sorted(table)) or "(none)"
                return Plan.refuse(f"{robot} cannot {skill.replace('_', ' ')} here (its skills: {offered})")
            if named and skill not in L.PROP_SKILLS + ("place",) and L.said_attributes(named)[0] and \
                    L.unknown_noun(named):
                return Plan.refuse(f"I see no {named}")  # "hover above the white sock" read as a gripper skill
            later = [j for j in positive[k + 1:] if labels[j][0] != L.REMARK]
            if skill in L.PROP_SKILLS and _preamble(step, named, [cores[j] for j in later]):
                continue  # "go over and grasp the X": the approach is part of the grasp
            if calls and skill in L.PROP_SKILLS + ("place",) and _restates(step, named, skill, calls[-1]):
                continue  # "the X needs to go left, push it there": one push, said twice
            if antecedent and not named and scene.last is None and (L.refers_back(step) or skill in L.PROP_SKILLS):
                found = scene.find(antecedent)
                if isinstance(found, str):
                    return Plan.refuse(found)
            antecedent = ""
            result = self._step(scene, step, skill, p, table, calls)
            if isinstance(result, str):
                return Plan.refuse(result)
            for call in result:
                if _repeats(calls, call):
                    continue
                if _subsumes(call, calls):
                    calls.pop()  # "go to the X and grab it": a pick (push) approaches the prop itself
                calls.append(call)
        if not calls:
            return Plan.refuse(f"I don't know how to {steps[positive[0]]}: it asks for no action I can do")
        plan = Plan(calls, None, {"steps": [steps[i] for i in actions]})
        return validate_plan(plan, table)

    def _step(self, scene: _Frame, step: str, skill: str, p: float, table: dict[str, dict[str, Any]],
              previous: list[SkillCall]) -> list[SkillCall] | str:
        properties = table[skill]["parameters"].get("properties", {})
        args: dict[str, Any] = {}
        calls: list[SkillCall] = []
        if skill == "place":
            obj, destination = L.split_destination(step)
            if destination is None:
                return f"where should I put it? say on which prop ({step!r})"
            if L.object_phrase(obj) and "pick" in table and \
                    not (previous and previous[-1].skill == "pick"):
                found = scene.find(obj)
                if isinstance(found, str):
                    return found
                calls.append(self._prop_call("pick", found, p, table))
            found = scene.find(destination)
            if isinstance(found, str):
                return found
            calls.append(self._prop_call("place", found, p, table, on_top=True))
            return calls
        if skill in L.PROP_SKILLS and "target" in properties:
            # "pick it up", or a bare "lift" after "grab the red cube": the prop grounded last
            if not L.object_phrase(step) and (L.refers_back(step) or scene.last is not None):
                found = scene.last
                if found is None:
                    return f"which prop is 'it'? name it ({step!r})"
            else:
                found = scene.find(step)
                if isinstance(found, str):
                    return found
            call = self._prop_call(skill, found, p, table)
            args = call.args
        else:
            call = SkillCall(skill, args, None, p)
        for name, schema in properties.items():
            if name in args or name == "target":
                continue
            value = _fill_param(name, schema, step, name in table[skill]["parameters"].get("required", []))
            if isinstance(value, str) and value.startswith("?"):
                return value[1:]
            if value is not None:
                args[name] = value
        call.args = args
        return [call]

    def _prop_call(self, skill: str, found: dict[str, Any], p: float, table: dict[str, dict[str, Any]],
                   on_top: bool = False) -> SkillCall:
        schema = table[skill]["parameters"].get("properties", {}).get("target", {})
        point = found["point"]
        name = f"{found['color']}_{found['shape']}"
        if point is not None and accepts_point(schema):
            value = list(point)
            if on_top:
                value[2] += HALF_HEIGHT.get(found["shape"], 0.02) + 0.022
            target: Any = [round(float(v), 4) for v in value]
        elif accepts_string(schema):
            target = name
        else:
            raise EmbodiedError(f"skill {skill!r} takes neither a point nor a prop name as target")
        call = SkillCall(skill, {"target": target}, None, p * (1.0 - found["absent"]),
                         None if point is None else [float(v) for v in point], list(found["frame_pixel"]))
        return call


_NEAR = re.compile(r"\b(?:get|come|go|move|stay|be|as|up|in|right|very|really|real)\s+close\b|\bcloser\b|"
                   r"\bclose\s+(?:to|by)\b")
_THERE = re.compile(r"\b(there|over there|that way|the same way|as i said)\b")
_PARAMETER_WORDS = re.compile(r"\d|\b(left|right|forward|forwards|ahead|away|back|backward|backwards|toward me|"
                              r"towards me|on|onto|atop|upon)\b")


def _preamble(step: str, named: str, later: list[str]) -> bool:
    """A prop skill with nothing to act on ("go over", "reach out") before a step that names a
    prop: how the next action starts, not an action of its own."""
    return not named and not L.refers_back(step) and any(L.object_phrase(s) for s in later[:1])


def _restates(step: str, named: str, skill: str, last: SkillCall) -> bool:
    """A step about the prop already in play that adds nothing: the same skill again with no
    new direction or distance ("just push it"), or a "do it there" after the action."""
    if named:
        return False
    if skill == "place" == last.skill and L.split_destination(step)[1] is None:
        return True  # "... over to the Y and leave it sitting on it": the place, said again
    adds = bool(_PARAMETER_WORDS.search(_THERE.sub(" ", step)))
    if _THERE.search(step) and not adds:
        return True
    return skill == last.skill and skill != "place" and not adds and (L.refers_back(step) or len(step.split()) <= 3)


def _lacks_arguments(skill: str, step: str) -> bool:
    """A place with nowhere to put it, or a push with no direction: what the words cannot mean."""
    if skill == "place":
        return L.split_destination(step)[1] is None and not _THERE.search(step)
    if skill == "push":
        return L.find_direction(step, ("left", "right", "forward", "back")) is None
    return False


def _puts_held_prop(step: str, skill: str, calls: list[SkillCall]) -> bool:
    """A step that brings a prop onto another: a release over a named prop, or, while holding
    one, "it" (what is held) moved onto a named prop."""
    obj, destination = L.split_destination(step)
    if destination is None or not L.object_phrase(destination):
        return False
    holding = bool(calls) and calls[-1].skill == "pick"
    return skill == "open_gripper" or (holding and not L.object_phrase(obj))


def _subsumes(call: SkillCall, calls: list[SkillCall]) -> bool:
    """A pick or push of the prop the previous reach went to: the reach is part of it."""
    if not calls or calls[-1].skill != "reach" or call.skill not in ("pick", "push"):
        return False
    return calls[-1].pixel is not None and calls[-1].pixel == call.pixel


def _repeats(calls: list[SkillCall], call: SkillCall) -> bool:
    """The same skill on the same prop again ("grab the red cube and lift it"): one action, not two."""
    if not calls or call.skill not in ("pick", "reach", "open_gripper", "close_gripper", "home"):
        return False
    last = calls[-1]
    return last.skill == call.skill and last.args == call.args


class _Frame:
    """One planning call's view: CNN features computed once, phrases grounded on demand."""

    def __init__(self, model: BuiltinOmnimodel, frames: dict[str, np.ndarray], depth: dict[str, np.ndarray] | None,
                 camera_info: dict[str, Any] | None) -> None:
        self.model = model
        self.camera = model.camera if model.camera in (frames or {}) else next(iter(frames or {}), None)
        self.rgb = None if self.camera is None else np.asarray(frames[self.camera])
        self.depth = None if not depth or self.camera not in depth else np.asarray(depth[self.camera])
        info = camera_info.get(self.camera, camera_info) if isinstance(camera_info, dict) else camera_info
        self.info = None if info is None else CameraInfo.from_any(info)
        self._features = None
        self.last: dict[str, Any] | None = None  # the prop grounded last ("pick it up")

    def find(self, phrase: str) -> dict[str, Any] | str:
        if self.rgb is None:
            return "I have no camera frame to find the prop in"
        if self._features is None:
            self._features = self.model.features(self.rgb)
        features, sy, sx = self._features
        # the pointing head sees only the words that describe the prop, not the verb around them
        words = L.object_phrase(phrase) or phrase
        if L.unknown_noun(words):
            # the props are cubes, balls and cylinders: a teapot is not one of them, however
            # close its colour or its embedding comes to one
            return f"I see no {words}"
        found = self.model.ground(features, [words])[0]
        if not seen(found, words):
            return f"I see no {words}"
        said_colors, said_shapes = L.said_attributes(words)
        if (said_colors and max(found["color_p"][c] for c in said_colors) < 0.1) or \
                (said_shapes and max(found["shape_p"][s] for s in said_shapes) < 0.1):
            return f"I see no {words} (the closest match looks like a {found['color']} {found['shape']})"
        u, v = found["pixel"]
        pixel = (u * sx, v * sy)
        found["frame_pixel"] = pixel
        found["point"] = None
        if self.depth is not None and self.info is not None:
            d = depth_at(self.depth, pixel)
            found["point"] = unproject(self.info, pixel, d) + SURFACE_TO_CENTRE * ray_direction(self.info, pixel)
        self.last = found
        return found


def seen(found: dict[str, Any], words: str) -> bool:
    """Whether the description names a prop in view: the pointing head's absent logit decides,
    except that a description of colour and shape whose colour and shape the attribute heads
    both read, clearly, at the peak is there (a prop half hidden behind another leaves the
    pointing head unsure, not the attribute heads)."""
    if found["absent"] < ABSENT_THRESHOLD:
        return True
    colors, shapes = L.said_attributes(words)
    return len(colors) == 1 and len(shapes) == 1 and found["present"] >= 0.15 and \
        found["color_p"][colors[0]] >= 0.8 and found["shape_p"][shapes[0]] >= 0.8


def _softmax(logits: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _fill_param(name: str, schema: dict[str, Any], text: str, required: bool) -> Any:
    """A value for a non-prop parameter read from the words (None: leave the default)."""
    options = schema.get("anyOf", [schema])
    choices = tuple(c for o in options for c in o.get("enum", []))
    kinds = {o.get("type") for o in options}
    description = schema.get("description", "").lower()
    if choices:
        found = L.find_direction(text, choices)
        if found is None:
            found = next((c for c in choices if re.search(rf"\b{re.escape(c)}\b", text)), None)
        if found is None and required:
            return f"?say which {name}: {', '.join(choices)}"
        return found
    if kinds & {"number", "integer"}:
        low, high = schema.get("minimum", -np.inf), schema.get("maximum", np.inf)
        value = None
        if name in ("distance",) or "metre" in description or "(m)" in description:
            hit = L.find_number(text, ("cm", "mm", "m"))
            if hit:
                value = hit[0] * {"cm": 0.01, "mm": 0.001, "m": 1.0}[hit[1]]
        elif "angle" in name or "deg" in description or "rad" in description:
            hit = L.find_number(text, ("deg", ""))
            if hit:
                value = hit[0] if "rad" not in description else np.deg2rad(hit[0])
            elif "around" in text:
                value = 180.0 if "rad" not in description else np.pi
        elif "speed" in name or "m/s" in description:
            hit = L.find_number(text, ("m/s",))
            if hit:
                value = hit[0]
            elif np.isfinite(high) and re.search(r"\b(slow|slowly|gently|carefully)\b", text):
                value = low + 0.3 * (high - low) if np.isfinite(low) else 0.3 * high
            elif np.isfinite(high) and re.search(r"\b(fast|quickly|quick|run|jog)\b", text):
                value = 0.9 * high
        if value is None:
            return None
        value = float(np.clip(value, low, high))
        return int(round(value)) if "integer" in kinds else value
    return None
