"""yolov3_resnet18 as a PyTorch module, the names and layout LegoDNN-J's YoloV3ResNet promises.

Run with Debian's python3-torch (1.13):  /usr/bin/python3 tools/reference/yolov3_resnet18.py [weights.safetensors]
or, to write the test fixture nn/src/test/resources/org/legodnn/nn/models/yolov3_w2.safetensors:
    /usr/bin/python3 tools/reference/yolov3_resnet18.py --fixture FILE
Prints the parameter count, the state-dict names and the output shape for a 96x96 canvas; with a safetensors file
written by `legodnn train --task detection --model yolov3_resnet18`, loads it strictly (every name and shape must
match).
"""
import sys

import torch
from torch import nn


class BasicBlock(nn.Module):
    """torchvision's BasicBlock (names conv1, bn1, conv2, bn2, downsample)."""

    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + (x if self.downsample is None else self.downsample(x)))


class Backbone(nn.Module):
    """torchvision's ResNet-18 without avgpool and fc, stage widths w, 2w, 4w, 8w."""

    def __init__(self, in_channels, w):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, w, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(w)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        widths = [w, 2 * w, 4 * w, 8 * w]
        inplanes = w
        for i, planes in enumerate(widths):
            stride = 1 if i == 0 else 2
            setattr(self, "layer%d" % (i + 1), nn.Sequential(BasicBlock(inplanes, planes, stride),
                                                             BasicBlock(planes, planes, 1)))
            inplanes = planes


class ConvBnReLU(nn.Module):
    def __init__(self, cin, cout, k):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, 1, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return torch.relu(self.bn(self.conv(x)))


def conv_set(cin, mid):
    return nn.Sequential(ConvBnReLU(cin, mid, 1), ConvBnReLU(mid, 2 * mid, 3), ConvBnReLU(2 * mid, mid, 1),
                         ConvBnReLU(mid, 2 * mid, 3), ConvBnReLU(2 * mid, mid, 1))


def head(cin, cout):
    return nn.Sequential(ConvBnReLU(cin, cin, 3), nn.Conv2d(cin, cout, 1))


class YoloV3ResNet18(nn.Module):
    def __init__(self, in_channels=1, classes=10, w=16, anchors=3):
        super().__init__()
        out = anchors * (5 + classes)
        self.backbone = Backbone(in_channels, w)
        c4, c3, c2 = 8 * w, 4 * w, 2 * w
        self.set32 = conv_set(c4, c4 // 2)
        self.reduce32 = ConvBnReLU(c4 // 2, c4 // 4, 1)
        self.upsample = nn.Upsample(scale_factor=2, mode="nearest")
        self.set16 = conv_set(c4 // 4 + c3, c3 // 2)
        self.head16 = head(c3 // 2, out)
        self.reduce16 = ConvBnReLU(c3 // 2, c3 // 4, 1)
        self.set8 = conv_set(c3 // 4 + c2, c2 // 2)
        self.head8 = head(c2 // 2, out)

    def forward(self, x):
        b = self.backbone
        x = b.maxpool(b.relu(b.bn1(b.conv1(x))))
        c2 = b.layer2(b.layer1(x))
        c3 = b.layer3(c2)
        c4 = b.layer4(c3)
        p32 = self.set32(c4)
        p16 = self.set16(torch.cat([self.upsample(self.reduce32(p32)), c3], 1))
        p8 = self.set8(torch.cat([self.upsample(self.reduce16(p16)), c2], 1))
        return torch.cat([self.head8(p8).flatten(1), self.head16(p16).flatten(1)], 1)


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--fixture":
    pass  # handled at the end of the file, once every helper is defined
elif __name__ == "__main__":
    model = YoloV3ResNet18()
    print("parameters", sum(p.numel() for p in model.parameters()))
    sd = model.state_dict()
    print("state-dict entries", len(sd), "floats", sum(v.numel() for k, v in sd.items() if v.dtype == torch.float32))
    for k in list(sd)[:3] + list(sd)[-3:]:
        print(" ", k, tuple(sd[k].shape))
    print("output", tuple(model.eval()(torch.zeros(2, 1, 96, 96)).shape))
    if len(sys.argv) > 1:
        import json
        import struct
        raw = open(sys.argv[1], "rb").read()
        n = struct.unpack("<Q", raw[:8])[0]
        header = json.loads(raw[8:8 + n])
        header.pop("__metadata__", None)
        dtypes = {"F32": torch.float32, "I64": torch.int64}
        state = {}
        for name, e in header.items():
            b, end = e["data_offsets"]
            buf = bytearray(raw[8 + n + b:8 + n + end])
            state[name] = torch.frombuffer(buf, dtype=dtypes[e["dtype"]]).reshape(e["shape"]).clone()
        print(model.load_state_dict(state, strict=True))


def write_safetensors(path, tensors, metadata):
    """Plain safetensors (F32/I64, little-endian), as tensor/io/Safetensors reads it."""
    import json
    import struct
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = metadata
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def make_fixture(path):
    """A width-2 model with random weights and BatchNorm statistics, an input and PyTorch's eval-mode output."""
    torch.manual_seed(18)
    model = YoloV3ResNet18(w=2)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
    model.eval()
    x = torch.randn(1, 1, 96, 96)
    with torch.no_grad():
        y = model(x)
    tensors = {"model." + k: v for k, v in model.state_dict().items()}
    tensors["input"] = x
    tensors["output"] = y
    write_safetensors(path, tensors, {"made_by": "tools/reference/yolov3_resnet18.py (PyTorch %s)" % torch.__version__,
                                      "width": "2"})
    print("wrote", path, "output", tuple(y.shape))


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--fixture":
    make_fixture(sys.argv[2])
