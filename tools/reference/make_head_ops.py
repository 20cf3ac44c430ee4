#!/usr/bin/env python3
"""PyTorch's numbers for the ops that segmentation and detection heads need (issue 18).

Writes testdata/pytorch/ops/<case>.safetensors in the format of the shared reference's op files (inputs by
name, output y, upstream gradient gy, input gradients g<input>; metadata "op" and "attrs" as JSON strings) and
lists the cases in testdata/pytorch/MANIFEST.heads.json, which the op reference tests read beside MANIFEST.json.

    /usr/bin/python3 tools/reference/make_head_ops.py      # Debian's python3-torch 1.13, CPU

Deterministic: seed 1234, float32, one thread. Rerun and `sha256sum -c` in testdata to see nothing changed.
"""
import json
import struct
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2] / "testdata" / "pytorch"


def write_safetensors(path, tensors, metadata):
    header = {}
    offset = 0
    blobs = []
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def case(name, op, attrs, fn, **inputs):
    """Runs fn forward and backward on the inputs; every input gets a gradient."""
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    y = fn(**leaves)
    gy = torch.randn(y.shape)
    y.backward(gy)
    tensors = dict(leaves)
    tensors["gy"] = gy
    tensors["y"] = y
    for k, v in leaves.items():
        tensors["g" + k] = v.grad
    write_safetensors(ROOT / "ops" / (name + ".safetensors"), tensors,
                      {"op": json.dumps(op), "attrs": json.dumps(attrs)})
    return {"name": name, "op": op, "attrs": attrs, "tensors": sorted(tensors)}


def main():
    torch.manual_seed(1234)
    torch.set_num_threads(1)
    cases = [
        case("sigmoid", "sigmoid", {}, lambda x: torch.sigmoid(x), x=torch.randn(2, 3, 4, 4) * 3),
        case("tanh", "tanh", {}, lambda x: torch.tanh(x), x=torch.randn(2, 3, 4, 4) * 2),
        case("exp", "exp", {}, lambda x: torch.exp(x), x=torch.randn(2, 3, 4, 4) * 2),
        case("slice_dim1_step2", "slice", {"dim": 1, "start": 1, "end": 7, "step": 2},
             lambda x: x[:, 1:7:2], x=torch.randn(2, 8, 3, 3)),
        case("slice_dim3_narrow", "slice", {"dim": 3, "start": 2, "end": 5, "step": 1},
             lambda x: x.narrow(3, 2, 3), x=torch.randn(1, 2, 3, 6)),
        case("softmax_dim1", "softmax", {"dim": 1}, lambda x: torch.softmax(x, dim=1), x=torch.randn(2, 5, 3, 3) * 2),
    ]
    manifest = {"generator": "PyTorch %s, tools/reference/make_head_ops.py, seed 1234" % torch.__version__,
                "ops": cases}
    (ROOT / "MANIFEST.heads.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
