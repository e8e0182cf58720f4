#!/usr/bin/env bash
# The warp checks of issue 3 on a lent GPU machine, in one call (see scripts/devpack.py).
# Assembles the parts staged in .devstage/, installs them into /tmp/site (no network there),
# then runs the warp tests on cuda:0 and the GPU benchmark; results land in $OUT.
# `device_check.sh quick`: two Go1Walk benchmarks and nothing else, for a short lease.
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
# the figures first (each run has its own limit, and what is done lands in $OUT as it goes);
# the optional runs are skipped once the call nears its limit
bench() {  # bench NAME ENV NUM_ENVS ARRAYS [LIMIT_S]; the first run compiles mujoco_warp's kernels (over 120 s)
  timeout "${5:-120}" python3 -m embodied.cli bench --env "$2" --num-envs "$3" --backend warp --seconds 3 --arrays "$4" \
    --skip sync async --json > "/tmp/bench_$1.json" 2> "/tmp/bench_$1.log"
  echo "== $1" >> "$OUT/bench.log"; cat "/tmp/bench_$1.log" >> "$OUT/bench.log"  # at most 8 files come back
  python3 -c "import json; r=json.load(open('/tmp/bench_$1.json')); r['name']='$1'; print(json.dumps(r), file=open('$OUT/bench.jsonl', 'a')); print('$1', r['arrays'], 'embodied', round(r['embodied_sps']), 'bare', round(r['physics_sps']), 'episode', round(r['mean_episode_steps']))" \
    || tail -3 "/tmp/bench_$1.log"
}
if [ "${1:-}" = quick ]; then  # a short lease: the headline figures only, no tests
  bench go1_65536_torch embodied/Go1Walk-v0 65536 torch "${QUICK_LIMIT_S:-150}"
  [ $SECONDS -lt "${QUICK_STOP_S:-170}" ] && bench go1_4096_torch embodied/Go1Walk-v0 4096 torch 40
  echo "device_check quick: $SECONDS s"; exit 0
fi
bench go1_4096_torch embodied/Go1Walk-v0 4096 torch 300
bench go1_65536_torch embodied/Go1Walk-v0 65536 torch
bench go1_4096_numpy embodied/Go1Walk-v0 4096 numpy
bench go1_65536_numpy embodied/Go1Walk-v0 65536 numpy
EMBODIED_WARP_TEST_DEVICE=cuda:0 timeout 150 python3 -m pytest -q -p no:cacheprovider tests/test_sim_warp.py 2>&1 \
  | tee "$OUT/warp_tests.log" | tail -5
[ $SECONDS -lt 420 ] && bench go1_131072_torch embodied/Go1Walk-v0 131072 torch
[ $SECONDS -lt 470 ] && bench h1_4096_torch embodied/H1Walk-v0 4096 torch
echo "device_check: $SECONDS s"
