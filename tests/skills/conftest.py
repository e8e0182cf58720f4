"""Fixtures shared by the skill tests."""

from __future__ import annotations

import pytest

from embodied.learn.policy import POLICIES_ENV
from embodied.skills import legged


@pytest.fixture
def shipped_policies(monkeypatch):
    """Skills load the shipped policies (EMBODIED_POLICIES unset, restored afterwards), uncached."""
    monkeypatch.setenv(POLICIES_ENV, "unset")
    monkeypatch.delenv(POLICIES_ENV)
    monkeypatch.setattr(legged, "_POLICIES", {})
