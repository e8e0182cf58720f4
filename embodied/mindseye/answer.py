"""Answerers: turn a question into one of its choices (or "unsupported").

- `BuiltinAnswerer`: converter -> SceneSpec -> batched simulation -> the choice the simulated
  outcome supports ("X"/"Y"/"the same", the object names, or "greater"/"smaller"/"the same").
- `LMAnswerer`: a language model behind any OpenAI-compatible chat-completions endpoint
  (standard library HTTP only), `vanilla` (question alone) or `grounded` (the simulation's
  rationale injected as a hint before the answer, as in Mind's Eye), zero- or few-shot. A
  reply that names none of the choices raises `LMReplyError` (counted as a failure by the
  evaluator), an endpoint that cannot be reached raises `EmbodiedError`: never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from embodied.chat_api import endpoint_from_env, post_chat
from embodied.errors import EmbodiedError, check_choice
from embodied.mindseye.converter import UNSUPPORTED, Conversion, Converter, default_converter
from embodied.mindseye.features import is_comparison_choice, is_same_choice
from embodied.mindseye.simulate import DEFAULT_SAMPLES, SimResult, simulate_many
from embodied.mindseye.spec import SceneSpec, spec_for_subtask

MODES = ("vanilla", "grounded")
# a choice saying the answer cannot be told is never the tie
_UNDECIDED = r"\b(depends?|depending|cannot|can't|can not|not enough|unknown|impossible|undetermin\w*|unclear|" \
             r"not possible|no way to|need more|insufficient)\b"
_GREATER = r"\b(greater|larger|bigger|more|increases?|increased|higher|goes up|go up|went up|rises?|rose|grows?)\b"
_SMALLER = r"\b(smaller|less|lower|decreases?|decreased|fewer|goes down|go down|went down|falls?|fell|drops?|" \
           r"dropped|shrinks?)\b"


class LMReplyError(EmbodiedError):
    """The language model's reply names none of the choices."""


@dataclass
class Answer:
    answer: str  # one of the choices, or "unsupported"
    confidence: float
    rationale: str
    spec: dict[str, Any] | None
    simulations: int
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"answer": self.answer, "confidence": round(float(self.confidence), 4), "rationale": self.rationale,
                "spec": self.spec, "simulations": self.simulations}


# ----- mapping outcomes onto choices ------------------------------------------------------------
def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", text.lower()).strip()


def _names_choice(choices: Sequence[str], name: str, label: str) -> int | None:
    """Index of the choice meaning the object called `name` (or labelled X/Y).

    The name is matched before the label: with choices "Y", "X" and the object called "Y"
    under label X, the choice "Y" is that object, not the choice that spells the label."""
    for key in (name, label):
        for i, c in enumerate(choices):
            if _norm(c) == _norm(key):
                return i
    stripped = re.sub(r"^(the|a|an) ", "", _norm(name))
    for i, c in enumerate(choices):
        nc = re.sub(r"^(the|a|an) ", "", _norm(c))
        if nc and (nc == stripped or re.search(r"\b" + re.escape(stripped) + r"\b", nc)) and not is_same_choice(c):
            return i
    return None


def choice_map(spec: SceneSpec) -> dict[str, int]:
    """Outcome ("X", "Y", "same", "greater", "smaller") -> index in spec.choices.

    Raises EmbodiedError if the choices do not fit the asked quantity.
    """
    choices = spec.choices
    out: dict[str, int] = {}
    same = [i for i, c in enumerate(choices) if is_same_choice(c)]
    if same:
        out["same"] = same[0]
    if spec.pick == "compare":
        for key, rx in (("greater", _GREATER), ("smaller", _SMALLER)):
            hits = [i for i, c in enumerate(choices) if re.search(rx, c.lower()) and i not in same]
            if hits:
                out[key] = hits[0]
        if "greater" not in out or "smaller" not in out:
            raise EmbodiedError(
                f"choices {list(choices)} do not fit the asked quantity ({spec.quantity}): "
                "expected comparison words such as 'greater', 'smaller', 'the same'"
            )
        return out
    for key in ("X", "Y"):
        i = _names_choice(choices, spec.objects[key], key)
        if i is not None:
            out[key] = i
    if "X" not in out or "Y" not in out:
        raise EmbodiedError(
            f"choices {list(choices)} do not fit the asked quantity ({spec.quantity}): expected the two "
            f"objects ({spec.objects['X']!r}, {spec.objects['Y']!r}) and optionally 'the same'"
        )
    if "same" not in out:
        # the one choice left besides the two objects is the tie, however it is worded ("they slid
        # just as far as each other"), unless it says the answer cannot be told
        rest = [i for i, c in enumerate(choices) if i not in (out["X"], out["Y"]) and c.strip()
                and not is_comparison_choice(c) and not re.search(_UNDECIDED, c.lower())]
        if len(rest) == 1 and len(choices) - 2 == 1:
            out["same"] = rest[0]
    return out


def pick_choice(spec: SceneSpec, outcome: str) -> str:
    mapping = choice_map(spec)
    if outcome not in mapping:
        raise EmbodiedError(
            f"the simulation says {outcome!r} but none of the choices {list(spec.choices)} means that; "
            "add a choice such as 'the same'"
        )
    return spec.choices[mapping[outcome]]


# ----- built-in answerer --------------------------------------------------------------------------
class BuiltinAnswerer:
    """Converter + simulation: picks the choice the simulated outcome supports.

    A question whose choices cannot express the simulated outcome gets answer "" and
    extra["error"] (the CLI's qa raises it; qa-eval counts it as a failure).
    """

    name = "builtin"

    def __init__(self, converter: Converter | None = None, samples: int = DEFAULT_SAMPLES, seed: int = 0) -> None:
        self.converter = converter
        self.samples = samples
        self.seed = seed

    def _conv(self) -> Converter:
        if self.converter is None:
            self.converter = default_converter()
        return self.converter

    def answer(self, question: str, choices: Sequence[str]) -> Answer:
        return self.answer_many([question], [list(choices)])[0]

    def answer_many(self, questions: Sequence[str], choices: Sequence[Sequence[str]],
                    progress: Callable[[int], None] | None = None,
                    conversions: list[Conversion] | None = None) -> list[Answer]:
        """Answer many questions; the simulations of all of them run in shared batches."""
        if conversions is None:
            conversions = self._conv().convert_many(list(questions), [list(c) for c in choices])
        return self.answer_conversions(conversions, progress)

    def answer_conversions(self, conversions: list[Conversion],
                           progress: Callable[[int], None] | None = None) -> list[Answer]:
        specs: list[SceneSpec] = []
        owner: list[tuple[int, str]] = []
        errors: dict[int, str] = {}
        for i, conv in enumerate(conversions):
            if conv.spec is None:
                continue
            try:
                choice_map(conv.spec)  # choices that do not fit the asked quantity: no simulation
            except EmbodiedError as error:
                errors[i] = str(error)
                continue
            specs.append(conv.spec)
            owner.append((i, "main"))
            if not conv.relation_found:  # the question does not say which: try the other way round
                other = "Y" if conv.spec.greater == "X" else "X"
                alt = SceneSpec.from_dict({**conv.spec.to_dict(), "greater": other})
                specs.append(alt)
                owner.append((i, "alt"))
        results = simulate_many(specs, self.samples, self.seed, progress) if specs else []
        by_q: dict[int, dict[str, SimResult]] = {}
        for (i, kind), res in zip(owner, results):
            by_q.setdefault(i, {})[kind] = res
        out = []
        for i, conv in enumerate(conversions):
            if conv.error:
                out.append(Answer("", 0.0, conv.error, None, 0, conv.label, {"error": conv.error}))
                continue
            if conv.spec is None:
                out.append(Answer(UNSUPPORTED, conv.probability,
                                  f"Not simulated: the question is {conv.reason} "
                                  f"(converter confidence {conv.probability:.2f}).", None, 0, conv.label))
                continue
            if i in errors:
                out.append(Answer("", 0.0, errors[i], conv.spec.to_dict(), 0, conv.label, {"error": errors[i]}))
                continue
            res = by_q[i]["main"]
            if "alt" in by_q[i] and by_q[i]["alt"].outcome != res.outcome:
                attr = conv.spec.attribute
                out.append(Answer(UNSUPPORTED, 0.0,
                                  f"The question does not say which object has the greater {attr}, and the "
                                  f"answer depends on it.", conv.spec.to_dict(), 2 * res.samples, conv.label))
                continue
            try:
                answer = pick_choice(conv.spec, res.outcome)
            except EmbodiedError as error:
                out.append(Answer("", 0.0, res.rationale, conv.spec.to_dict(), res.samples, conv.label,
                                  {"error": str(error)}))
                continue
            out.append(Answer(answer, res.confidence * (1.0 if conv.relation_found else 0.9), res.rationale,
                              conv.spec.to_dict(), res.samples, conv.label,
                              {"outcome": res.outcome, "converter_probability": conv.probability}))
        return out


# ----- language-model answerer --------------------------------------------------------------------
def parse_lm_spec(spec: str) -> str:
    """'openai:MODEL' -> MODEL."""
    provider, _, model = spec.partition(":")
    check_choice("language model provider", provider, ["openai"])
    if not model:
        raise EmbodiedError(f"language model {spec!r} names no model; use openai:MODEL, e.g. openai:gpt-4o-mini")
    return model


def parse_reply(reply: str, choices: Sequence[str]) -> str:
    """The choice a free-text reply names; LMReplyError if none or several."""
    text = reply.strip()
    m = re.search(r"answer\s*[:\-]\s*(.+)", text, flags=re.I | re.S)
    candidates = [m.group(1).strip().splitlines()[0]] if m else []
    candidates.append(text.splitlines()[0] if text else "")
    candidates.append(text)
    options = [*choices, UNSUPPORTED]
    for cand in candidates:
        nc = _norm(cand)
        exact = [o for o in options if _norm(o) == nc]
        if exact:
            return exact[0]
        found = [o for o in options if re.search(r"(?<![a-z0-9])" + re.escape(_norm(o)) + r"(?![a-z0-9])", nc)]
        # a longer choice containing a shorter one ("the red ball" vs "ball"): keep the longest
        found = [o for o in found if not any(o != f and _norm(o) in _norm(f) for f in found)]
        if len(found) == 1:
            return found[0]
    raise LMReplyError(f"the language model's reply {reply[:120]!r} names none of the choices {list(choices)}")


class LMAnswerer:
    """A chat-completions language model, vanilla or grounded by simulation, K-shot."""

    def __init__(self, model: str, mode: str = "vanilla", shots: int = 0, base_url: str | None = None,
                 api_key: str | None = None, builtin: BuiltinAnswerer | None = None, timeout: float = 60.0) -> None:
        self.model = model
        self.mode = check_choice("mode", mode, MODES)
        if shots < 0:
            raise EmbodiedError(f"shots must be 0 or more, got {shots}")
        self.shots = shots
        self.base_url, self.api_key = endpoint_from_env(base_url, api_key)
        self.builtin = builtin or BuiltinAnswerer()
        self.timeout = timeout
        self.name = f"openai:{model}/{mode}/{shots}-shot"
        self._examples: list[tuple[str, list[str], str, str]] | None = None

    def _chat(self, messages: list[dict[str, str]]) -> str:
        body = {"model": self.model, "messages": messages, "temperature": 0}
        data = post_chat(self.base_url, self.api_key, body, self.timeout)
        try:
            return str(data["choices"][0]["message"]["content"])
        except (KeyError, IndexError, TypeError) as error:
            raise EmbodiedError(f"the language model endpoint {self.base_url} answered without choices[0].message.content") from error

    def _few_shot(self) -> list[tuple[str, list[str], str, str]]:
        """K worked examples (question, choices, hint, answer) with simulated answers."""
        if self._examples is None:
            from embodied.mindseye.phrasing import phrase

            rng = np.random.default_rng(12345)
            ids = ["ff_mass_time", "co_elastic_heavy_into_light", "fr_coef_distance", "pr_angle_apex",
                   "in_angle_time", "mo_mass_acc", "ff_height_speed", "co_inelastic_ke"]
            specs, texts = [], []
            for sid in ids[: self.shots]:
                text, objects, greater = phrase(sid, rng, "train", names=("X", "Y"))
                specs.append(spec_for_subtask(sid, greater=greater))
                texts.append(text)
            results = simulate_many(specs, 16, seed=7) if specs else []
            self._examples = [(t, list(s.choices), r.rationale, pick_choice(s, r.outcome))
                              for t, s, r in zip(texts, specs, results)]
        return self._examples

    def _prompt(self, question: str, choices: Sequence[str], hint: str | None) -> list[dict[str, str]]:
        system = ("You answer physics questions. Reply with exactly one of the given choices and nothing else. "
                  "If the question is not about motion, falling, projectiles, friction, inclines or collisions, "
                  "reply 'unsupported'.")
        messages = [{"role": "system", "content": system}]
        for q, ch, h, a in self._few_shot()[: self.shots]:
            messages.append({"role": "user", "content": self._user(q, ch, h if self.mode == "grounded" else None)})
            messages.append({"role": "assistant", "content": a})
        messages.append({"role": "user", "content": self._user(question, choices, hint)})
        return messages

    @staticmethod
    def _user(question: str, choices: Sequence[str], hint: str | None) -> str:
        text = f"Question: {question}\nChoices: {', '.join(choices)}\n"
        if hint:
            text += f"Hint (from a physics simulation): {hint}\n"
        return text + "Answer:"

    def answer(self, question: str, choices: Sequence[str]) -> Answer:
        return self.answer_many([question], [list(choices)])[0]

    def answer_many(self, questions: Sequence[str], choices: Sequence[Sequence[str]],
                    progress: Callable[[int], None] | None = None) -> list[Answer]:
        """Answers; a reply off the choices becomes an Answer with answer "" and extra["error"]."""
        grounded: list[Answer | None] = [None] * len(questions)
        if self.mode == "grounded":
            grounded = list(self.builtin.answer_many(questions, choices))
        out = []
        for i, (q, ch) in enumerate(zip(questions, choices)):
            g = grounded[i]
            hint = g.rationale if g is not None and g.spec is not None else None
            reply = self._chat(self._prompt(q, ch, hint))
            try:
                answer = parse_reply(reply, ch)
                error = ""
            except LMReplyError as err:
                answer, error = "", str(err)
            out.append(Answer(answer, 1.0 if answer else 0.0, hint or f"{self.name} replied: {reply[:200]}",
                              g.spec if g is not None else None, g.simulations if g is not None else 0,
                              extra={"reply": reply, "error": error} if error else {"reply": reply}))
            if progress is not None:
                progress(1)
        return out
