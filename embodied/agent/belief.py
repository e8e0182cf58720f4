"""What the agent believes about hidden physical parameters, and how it revises that belief.

A belief is a diagonal Gaussian over the parameters in a transformed space (log space for
parameters declared `log`, such as friction coefficients, which are spread over ratios),
clipped to each parameter's prior range. The agent samples it to imagine outcomes, and
refits it after every observation with the cross-entropy method: candidate parameter
vectors are drawn from the current belief, each is simulated in one batch, and the ones
whose predicted outcome lies closest to the observed one (weighted against the current
belief, so earlier evidence is not forgotten) become the new belief.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from embodied.errors import EmbodiedError


@dataclass(frozen=True)
class ParamPrior:
    """One hidden parameter: its name, the range reality draws it from, and its nominal value."""

    name: str
    low: float
    high: float
    nominal: float
    log: bool = False  # spread over ratios: drawn log-uniformly, believed as a log-normal
    unit: str = ""

    def __post_init__(self) -> None:
        if not self.low <= self.nominal <= self.high or (self.log and self.low <= 0):
            raise EmbodiedError(f"parameter {self.name!r}: need 0 < low <= nominal <= high for log ranges, "
                                f"got {self.low}, {self.nominal}, {self.high}")

    def to_unit(self, value: Any) -> np.ndarray:
        value = np.asarray(value, float)
        return np.log(value) if self.log else value

    def from_unit(self, value: Any) -> np.ndarray:
        value = np.asarray(value, float)
        return np.exp(value) if self.log else value

    def draw(self, rng: np.random.Generator) -> float:
        """A value for reality: uniform over the range (log-uniform for `log` parameters)."""
        low, high = self.to_unit(self.low), self.to_unit(self.high)
        return float(self.from_unit(rng.uniform(low, high)))


class Belief:
    """A diagonal Gaussian over the parameters (in unit space), clipped to the prior ranges."""

    def __init__(self, priors: tuple[ParamPrior, ...] | list[ParamPrior], mean: Any = None, std: Any = None) -> None:
        self.priors = tuple(priors)
        self.names = [p.name for p in self.priors]
        self.low = np.array([float(p.to_unit(p.low)) for p in self.priors])
        self.high = np.array([float(p.to_unit(p.high)) for p in self.priors])
        nominal = np.array([float(p.to_unit(p.nominal)) for p in self.priors])
        # the prior: centred on the nominal value, wide enough to cover the whole range
        self.mean = nominal if mean is None else np.asarray(mean, float)
        self.std = (self.high - self.low) / 3.0 if std is None else np.asarray(std, float)
        self.min_std = (self.high - self.low) * 0.02  # never certain: reality is noisier than the model

    @classmethod
    def nominal(cls, priors: tuple[ParamPrior, ...] | list[ParamPrior]) -> Belief:
        """A point belief at the nominal values (what an agent that never learns assumes)."""
        belief = cls(priors)
        belief.std = np.zeros(len(belief.priors))
        belief.min_std = np.zeros(len(belief.priors))
        return belief

    # ----- sampling -------------------------------------------------------------------
    def _clip(self, unit: np.ndarray) -> np.ndarray:
        return np.clip(unit, self.low, self.high)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """(n, p) parameter vectors in physical units."""
        unit = self._clip(self.mean + self.std * rng.standard_normal((n, len(self.priors))))
        return self._to_physical(unit)

    def _to_physical(self, unit: np.ndarray) -> np.ndarray:
        return np.stack([p.from_unit(unit[:, i]) for i, p in enumerate(self.priors)], axis=1)

    def _to_unit(self, physical: np.ndarray) -> np.ndarray:
        return np.stack([p.to_unit(physical[:, i]) for i, p in enumerate(self.priors)], axis=1)

    def point(self) -> np.ndarray:
        """The belief's central values in physical units (median for log parameters)."""
        return self._to_physical(self.mean[None])[0]

    def summary(self) -> dict[str, dict[str, float]]:
        """Per parameter: central value and a 90 % interval, in physical units."""
        out = {}
        for i, prior in enumerate(self.priors):
            lo = float(prior.from_unit(max(self.low[i], self.mean[i] - 1.645 * self.std[i])))
            hi = float(prior.from_unit(min(self.high[i], self.mean[i] + 1.645 * self.std[i])))
            out[prior.name] = {"value": round(float(prior.from_unit(self.mean[i])), 4),
                               "low": round(lo, 4), "high": round(hi, 4)}
        return out

    # ----- revising ---------------------------------------------------------------------
    def update(self, predict: Callable[[np.ndarray], np.ndarray], observed: Any, noise: Any,
               rng: np.random.Generator, population: int = 32, iterations: int = 2,
               min_effective: int = 8) -> dict[str, Any]:
        """Fit the belief to one observed outcome: importance sampling with an adapted proposal.

        `predict(params (n, p)) -> (n, k)` simulates the action that was taken, from the state
        it was taken in, once per parameter vector (one batch); `observed` is the (k,) outcome
        seen; `noise` (scalar or (k,)) is how far reality may stray from a perfect model.
        Each round draws candidates from a proposal (first the current belief, then the
        previous round's fit), weighs each by likelihood x current belief / proposal, and
        fits the weighted mean and spread, as in the cross-entropy method but without
        shrinking parameters the observation says nothing about. Weights are tempered until
        at least `min_effective` samples carry them: with a few dozen samples a sharp
        likelihood would otherwise put all weight on one sample and claim certainty in
        every parameter. Returns the fit's figures.
        """
        observed = np.asarray(observed, float)
        noise = np.broadcast_to(np.asarray(noise, float), observed.shape)
        prior_mean, prior_std = self.mean.copy(), np.maximum(self.std, self.min_std)
        mean, std = prior_mean.copy(), prior_std.copy()
        simulated, best, ess = 0, np.inf, 0.0
        for _ in range(iterations):
            unit = self._clip(mean + std * rng.standard_normal((population, len(self.priors))))
            predicted = np.asarray(predict(self._to_physical(unit)), float)
            simulated += len(unit)
            valid = np.all(np.isfinite(predicted), axis=1)
            if not valid.any():
                raise EmbodiedError("the world model diverged for every parameter sample; the belief is unchanged")
            misfit = (((predicted - observed) / noise) ** 2).sum(axis=1)
            log_w = -0.5 * misfit
            log_w += -0.5 * (((unit - prior_mean) / prior_std) ** 2).sum(axis=1)  # the belief so far
            log_w -= -0.5 * (((unit - mean) / std) ** 2).sum(axis=1) - np.log(std).sum()  # the proposal drawn from
            valid &= np.isfinite(log_w)
            if not valid.any():
                raise EmbodiedError("no parameter sample explains the observation; the belief is unchanged")
            log_w[~valid] = -np.inf
            best = min(best, float(misfit[valid].min()))
            weights, ess = _tempered(log_w, min(min_effective, int(valid.sum())))
            mean = weights @ unit
            std = np.maximum(np.sqrt(weights @ (unit - mean) ** 2), self.min_std)
        self.mean, self.std = mean, std
        return {"misfit": round(best, 3), "effective_samples": round(ess, 1), "simulations": simulated}


def _tempered(log_w: np.ndarray, min_effective: int) -> tuple[np.ndarray, float]:
    """Normalised weights exp(log_w / t) with the smallest t >= 1 that leaves `min_effective` samples."""

    def weights_at(t: float) -> tuple[np.ndarray, float]:
        scaled = np.where(np.isfinite(log_w), log_w / t, -np.inf)
        w = np.exp(scaled - scaled.max())
        w /= w.sum()
        return w, float(1.0 / (w ** 2).sum())

    weights, ess = weights_at(1.0)
    if ess >= min_effective:
        return weights, ess
    low, high = 0.0, 12.0  # log10 of the temperature
    for _ in range(30):
        middle = 0.5 * (low + high)
        if weights_at(10.0 ** middle)[1] >= min_effective:
            high = middle
        else:
            low = middle
    return weights_at(10.0 ** high)
