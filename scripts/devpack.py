"""Pack what a lent GPU machine lacks for the warp checks of issue 3, in parts that fit its calls.

The device machine (`.library/device`) has Python 3.12, torch with CUDA and numpy, but no
mujoco, mujoco_warp, warp or gymnasium, and cannot download them. What a call carries is at
most 64 MiB, and the warp-lang wheel alone is 149 MB (its CUDA library is 285 MB). This
script, run here, where pip can download:

1. downloads the Python 3.12 wheels of the missing packages (no dependencies: the machine
   has the rest);
2. unpacks warp-lang without its CPU compiler (`warp-clang.so`, 67 MB, only for warp's cpu
   device) and its examples, compresses it with xz (Python's own lzma, which the machine
   has) and cuts it into parts of at most `--part-mb` MB;
3. packs the other wheels and the Go1 from MENAGERIE_ROOT into one more part;
4. writes each part to `.devpack/<n>/` (ignored by git) and prints the device calls:
   each part travels in its own call (`carry: [".devpack/<n>"]`) and is moved to
   `.devstage/`, an ignored folder that a warm machine keeps between calls; the last call
   assembles everything, installs it into /tmp/site and runs `scripts/device_check.sh`.

    python scripts/devpack.py            # then make the printed calls one right after another

A machine goes back 30 s after a call ends, so the calls must follow each other at once.
"""

from __future__ import annotations

import argparse
import io
import lzma
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / ".devpack"
PLATFORMS = ["manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"]
# what embodied's bench and warp tests import that the machine's image lacks
WHEELS = ["mujoco==4.0.1", "mujoco-core==4.0.1", "mujoco-warp==4.0.0", "warp-lang==1.19.0", "gymnasium==1.4.0",
          "array-api-compat==1.16.0",
          "farama-notifications==0.0.4", "mujoco-menagerie==2026.10.4", "glfw==2.11.0", "pyopengl==3.1.10"]
WARP_DROPPED = ("warp/bin/warp-clang.so", "warp/examples/")
ROBOTS = ["unitree_go1", "unitree_h1"]


def download(wheels: list[str], into: Path) -> list[Path]:
    into.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--python-version", "3.12",
               "--implementation", "cp", "-d", str(into), *[f"--platform={p}" for p in PLATFORMS], *wheels]
    subprocess.run(command, check=True)
    return sorted(into.glob("*.whl"))


def xz_tar(members: list[tuple[str, bytes]]) -> bytes:
    """An xz-compressed tar of (name, content) pairs."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, content in members:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return lzma.compress(buffer.getvalue(), preset=6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part-mb", type=float, default=40.0, help="largest part in MB (default 40)")
    parser.add_argument("--cache", default="out/devpack/wheels", help="where downloaded wheels are kept")
    args = parser.parse_args()
    menagerie = Path(os.environ.get("MENAGERIE_ROOT", ROOT.parent / "shared" / "menagerie"))
    wheels = download(WHEELS, ROOT / args.cache)
    warp = next(w for w in wheels if w.name.startswith("warp_lang"))
    print(f"compressing {warp.name} without {', '.join(WARP_DROPPED)} (a few minutes)", file=sys.stderr)
    with zipfile.ZipFile(warp) as archive:
        members = [(name, archive.read(name)) for name in archive.namelist()
                   if not name.endswith("/") and not name.startswith(WARP_DROPPED)]
    warp_blob = xz_tar(members)
    others = [(f"wheels/{w.name}", w.read_bytes()) for w in wheels if w != warp]
    for robot in ROBOTS:
        for path in sorted((menagerie / robot).rglob("*")):
            if path.is_file():
                others.append((f"menagerie/{path.relative_to(menagerie)}", path.read_bytes()))
    shutil.rmtree(PACK, ignore_errors=True)
    size = int(args.part_mb * 1e6)
    pieces = [warp_blob[i:i + size] for i in range(0, len(warp_blob), size)]
    rest = xz_tar(others)
    calls = len(pieces) if len(pieces[-1]) + len(rest) <= size else len(pieces) + 1  # the last call takes both
    for index, piece in enumerate(pieces):
        folder = PACK / str(min(index, calls - 1))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"warp.tar.xz.{index:02d}").write_bytes(piece)
    last = PACK / str(calls - 1)
    last.mkdir(parents=True, exist_ok=True)
    (last / "rest.tar.xz").write_bytes(rest)
    (last / "warp_parts.txt").write_text(f"{len(pieces)}\n")  # device_check.sh checks all were staged
    stage = "mkdir -p .devstage && cp .devpack/{n}/* .devstage/ && ls -la .devstage"
    print(f"\n{calls} device calls, one right after another (parts in {PACK}):")
    for index in range(calls - 1):
        print(f'  run(carry=[".devpack/{index}"], command="{stage.format(n=index)}", timeout_s=120)')
    print(f'  run(carry=[".devpack/{calls - 1}"], command="{stage.format(n=calls - 1)} && '
          'bash scripts/device_check.sh", timeout_s=600)')
    for path in sorted(PACK.rglob("*")):
        if path.is_file():
            print(f"  {path.relative_to(ROOT)}: {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
