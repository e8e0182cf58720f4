"""The subcommands `register` adds, through a local argparse harness."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from embodied.errors import EmbodiedError
from embodied.mindseye.cli import register


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="embodied")
    register(parser.add_subparsers(dest="command", required=True))
    return parser


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return args.func(args)


def test_subcommands_are_registered_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["qa", "--help"], ["qa-eval", "--help"], ["utopia", "generate", "--help"],
                 ["mindseye", "train", "--help"]):
        with pytest.raises(SystemExit) as info:
            _parser().parse_args(argv)
        assert info.value.code == 0
        assert "example" in capsys.readouterr().out


def test_generate_then_eval_with_a_scripted_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "u.jsonl"
    assert _run(["utopia", "generate", "--per-subtask", "1", "--seed", "3", "--samples", "4", "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert len(lines) >= 39
    assert "wrote" in capsys.readouterr().out


def test_malformed_jsonl_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "q", "choices": ["X", "Y"], "answer": "X"}\n{oops\n')
    with pytest.raises(EmbodiedError, match=r"bad.jsonl:2"):
        _run(["qa-eval", str(path), "--no-progress"])


def test_bad_options_are_user_errors() -> None:
    with pytest.raises(EmbodiedError, match="samples"):
        _run(["qa", "X is heavier than Y. Which lands first?", "--samples", "0"])
    with pytest.raises(EmbodiedError, match="provider"):
        _run(["qa", "X is heavier than Y. Which lands first?", "--lm", "nope:model"])


def test_qa_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = _run(["qa", "X is heavier than Y. Both are dropped from the same height. Which lands first?",
                 "--choices", "X", "Y", "the same", "--samples", "8", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["answer"] == "the same"
    assert out["simulations"] == 8 and out["spec"]["scene"] == "free_fall"
    assert 0.0 <= out["confidence"] <= 1.0 and "Simulated 8 times" in out["rationale"]


def test_absurd_values_are_rejected() -> None:
    with pytest.raises(EmbodiedError, match="1e9 m/s"):
        _run(["qa", "A ball is thrown horizontally at 1e9 m/s from a cliff and another at 2 m/s. Which lands farther?",
              "--choices", "X", "Y", "the same"])
