#!/usr/bin/env bash
# The warp checks of issue 3 on a lent GPU machine, in one call (see scripts/devpack.py).
# Assembles the parts staged in .devstage/, installs them into /tmp/site (no network there),
# then runs the warp tests on cuda:0 and the GPU benchmark; results land in $OUT.
set -uo pipefail
OUT=${OUT:-out/device}
mkdir -p "$OUT" /tmp/site
cd "$(dirname "$0")/.."
python3 - <<'PY' || exit 1
import glob, io, lzma, tarfile
parts = sorted(glob.glob(".devstage/warp.tar.xz.*"))
expected = int(open(".devstage/warp_parts.txt").read())
if len(parts) != expected:
    raise SystemExit(f"{len(parts)} of {expected} warp parts are staged in .devstage: the machine went back "
                     "between the calls; make all the calls printed by scripts/devpack.py again, at once")
blob = b"".join(open(p, "rb").read() for p in parts)
tarfile.open(fileobj=io.BytesIO(lzma.decompress(blob))).extractall("/tmp/site")
tarfile.open(".devstage/rest.tar.xz").extractall(".devstage")
print(f"warp from {len(parts)} parts")
PY
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .devstage/wheels/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD MENAGERIE_ROOT=$PWD/.devstage/menagerie MUJOCO_GL=disable PYTHONUNBUFFERED=1  # no rendering: no EGL needed
nvidia-smi --query-gpu=name,driver_version --format=csv | tee "$OUT/gpu.txt"
python3 -c "import torch, warp, mujoco, mujoco_warp; print(torch.__version__, warp.__version__, mujoco.__version__)" | tee -a "$OUT/gpu.txt"
EMBODIED_WARP_TEST_DEVICE=cuda:0 timeout 240 python3 -m pytest -q -p no:cacheprovider tests/test_sim_warp.py 2>&1 | tee "$OUT/warp_tests.log" | tail -5
for n in 4096 65536; do
  timeout 150 python3 -m embodied.cli bench --env embodied/Go1Walk-v0 --num-envs $n --backend warp --seconds 4 \
    --skip sync async --json > "$OUT/bench_go1_$n.json" 2> "$OUT/bench_go1_$n.log"
  python3 -c "import json; r=json.load(open('$OUT/bench_go1_$n.json')); print($n, 'embodied', round(r['embodied_sps']), 'bare', round(r['physics_sps']))"
done
