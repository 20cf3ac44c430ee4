#!/usr/bin/env python3
"""Tiny ONNX models with the ops of detection and segmentation heads, exported by PyTorch (issue 18).

Writes testdata/pytorch/models/heads/<name>.onnx and <name>.safetensors (input, PyTorch's outputs by name):
  yolo_head_opset17  conv, split into xy/wh/obj/cls, sigmoid/exp/softmax(dim=1), concat (torch.onnx.export, opset 17)
  yolo_head_opset18  the same file with its opset import raised to 18 (torch 1.13 exports up to 17; none of its
                     ops changed in 18, and onnx.checker accepts it)
  seg_head_opset13   conv, tanh, softmax over channels, a strided slice (opset 13)

    /usr/bin/python3 tools/reference/make_head_models.py     # Debian's python3-torch 1.13 and python3-onnx
"""
import io
import json
import struct
from pathlib import Path

import onnx
import torch

OUT = Path(__file__).resolve().parents[2] / "testdata" / "pytorch" / "models" / "heads"


class YoloHead(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(4, 9, 1)

    def forward(self, x):
        xy, wh, obj, cls = torch.split(self.conv(x), [2, 2, 1, 4], dim=1)
        return torch.cat([torch.sigmoid(xy), torch.exp(wh), torch.sigmoid(obj), torch.softmax(cls, dim=1)], dim=1)


class SegHead(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(4, 6, 3, padding=1)

    def forward(self, x):
        y = torch.tanh(self.conv(x))
        return torch.softmax(y[:, 1:6:2], dim=1)


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def export(model, x, name, opset):
    model.eval()
    buf = io.BytesIO()
    torch.onnx.export(model, x, buf, opset_version=opset, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})
    proto = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(proto)
    with torch.no_grad():
        y = model(x)
    return proto, y


def main():
    torch.manual_seed(1234)
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    x = torch.randn(2, 4, 5, 6)
    proto, y = export(YoloHead(), x, "yolo_head", 17)
    onnx.save(proto, OUT / "yolo_head_opset17.onnx")
    write_safetensors(OUT / "yolo_head_opset17.safetensors", {"input": x, "output": y})
    for imp in proto.opset_import:
        if imp.domain in ("", "ai.onnx"):
            imp.version = 18
    onnx.checker.check_model(proto)
    onnx.save(proto, OUT / "yolo_head_opset18.onnx")
    write_safetensors(OUT / "yolo_head_opset18.safetensors", {"input": x, "output": y})
    proto, y = export(SegHead(), x, "seg_head", 13)
    onnx.save(proto, OUT / "seg_head_opset13.onnx")
    write_safetensors(OUT / "seg_head_opset13.safetensors", {"input": x, "output": y})


if __name__ == "__main__":
    main()
