"""The built-in omnimodel's network (torch): a small CNN over the overview camera's tabletop
crop, a text-conditioned (FiLM) heatmap head that points at the prop a phrase names (or at
"nothing": an extra absent logit), per-cell colour/shape heads that say what prop is at a
pixel, and an MLP skill head over the sentence embedding of one step.
"""

from __future__ import annotations

import torch
from torch import nn

from embodied.omni.encoder import DIM

# the tabletop crop of a 240x320 overview frame the CNN sees (rows, cols), and its stride
FRAME = (240, 320)
CROP = (104, 176, 56, 264)  # top, bottom, left, right
STRIDE = 4


def conv(cin: int, cout: int, stride: int = 1, dilation: int = 1) -> nn.Module:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, padding=dilation, dilation=dilation),
                         nn.GroupNorm(8, cout), nn.ReLU(inplace=True))


class OmniNet(nn.Module):
    def __init__(self, n_skills: int, n_colors: int, n_shapes: int, width: int = 48) -> None:
        super().__init__()
        self.trunk = nn.Sequential(conv(3, 16, 2), conv(16, 24), conv(24, width, 2), conv(width, width, dilation=2))
        self.film = nn.Sequential(nn.Linear(DIM, 192), nn.ReLU(inplace=True), nn.Linear(192, 2 * width))
        self.point = nn.Sequential(nn.Conv2d(width, 32, 1), nn.ReLU(inplace=True), nn.Conv2d(32, 1, 1))
        self.absent = nn.Parameter(torch.zeros(1))
        self.attributes = nn.Conv2d(width, n_colors + n_shapes, 1)
        self.n_colors = n_colors
        self.skill = nn.Sequential(nn.Linear(DIM, 256), nn.ReLU(inplace=True), nn.Dropout(0.1), nn.Linear(256, n_skills))

    def features(self, images: torch.Tensor) -> torch.Tensor:
        """uint8-range float images (B, 3, H, W) -> features (B, C, H/4, W/4)."""
        return self.trunk(images / 127.5 - 1.0)

    def heatmap(self, features: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        """Logits (Q, h*w + 1): one per cell, then the absent logit. features: (Q, C, h, w), text (Q, 384)."""
        gamma, beta = self.film(text).chunk(2, dim=1)
        f = torch.relu(features * (1 + gamma[:, :, None, None]) + beta[:, :, None, None])
        logits = self.point(f).flatten(1)
        return torch.cat([logits, self.absent.expand(logits.shape[0], 1)], dim=1)

    def attribute_logits(self, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        a = self.attributes(features)
        return a[:, : self.n_colors], a[:, self.n_colors:]

    def skill_logits(self, text: torch.Tensor) -> torch.Tensor:
        return self.skill(text)
