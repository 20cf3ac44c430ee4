#!/usr/bin/python3
"""Writes testdata/segmentation/: small, fixed-seed instances of the three segmentation models in PyTorch.

Why: the Java models (nn/models FcnResNet, DeepLabV3, UNet) claim PyTorch's structure and state-dict names.
These files are the same structures built in PyTorch 1.13 / torchvision 0.14 — torchvision's own FCN, FCNHead,
DeepLabV3, ASPP and IntermediateLayerGetter on a thin ResNet-18 backbone (torchvision's ResNet has fixed widths
and refuses dilated basic blocks, so the backbone is defined here with torchvision's module names), and
milesial's U-Net (transposed-convolution up-sampling) — with random weights and random BatchNorm statistics, so
the Java side can check names, shapes and eval-mode outputs, and import what torch.onnx.export wrote.

Per model <name>/:
  state_dict.safetensors  every state-dict entry by its PyTorch name (num_batches_tracked as float32)
  io.safetensors          `input` [2, 1, 32, 32] and PyTorch's eval-mode `output` [2, 5, 32, 32]
  model.onnx              torch.onnx.export of the same module (opset 17, constant folding, static shapes)
  grads.safetensors       eval-mode gradients of sum(output * gy) for a fixed random `gy`: `gx` (the input's)
                          and `grad.<name>` for every parameter
The configuration of each model is in io.safetensors' metadata.

Run with Debian's PyTorch (apt-get install python3-torch python3-torchvision python3-onnx):
    /usr/bin/python3 tools/reference/make_segmentation_models.py testdata/segmentation
then update testdata/SHA256SUMS (cd testdata && sha256sum ./segmentation/*/* >> SHA256SUMS, replacing old lines).
"""
import json
import os
import struct
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
from torchvision.models._utils import IntermediateLayerGetter
from torchvision.models.segmentation.deeplabv3 import ASPP, DeepLabV3
from torchvision.models.segmentation.fcn import FCN, FCNHead

SEED = 20261218
CLASSES = 5
INPUT_SHAPE = (2, 1, 32, 32)
OPSET = 17


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        raw = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    js = json.dumps(header).encode()
    js += b" " * ((8 - len(js) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for raw in blobs:
            f.write(raw)


# ---- a thin, optionally dilated ResNet-18 with torchvision's module names ------------------------------------

class BasicBlock(nn.Module):
    """torchvision's BasicBlock, except that both 3x3 convolutions take a dilation (padding = dilation)."""

    def __init__(self, inplanes, planes, stride, downsample, dilation):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, dilation, dilation, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, dilation, dilation, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class ThinResNet(nn.Module):
    """torchvision's ResNet layout (conv1, bn1, relu, maxpool, layer1..layer4) at widths w, 2w, 4w, 8w.

    replace_stride_with_dilation follows torchvision's _make_layer: a replaced stride multiplies the running
    dilation, and a stage's first block keeps the dilation that was in force before it.
    """

    def __init__(self, in_channels, width, blocks, replace_stride_with_dilation):
        super().__init__()
        self.inplanes, self.dilation = width, 1
        self.conv1 = nn.Conv2d(in_channels, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        dilate = [False] + list(replace_stride_with_dilation)
        for i in range(4):
            setattr(self, "layer%d" % (i + 1), self._make_layer(width << i, blocks[i], 1 if i == 0 else 2, dilate[i]))

    def _make_layer(self, planes, blocks, stride, dilate):
        previous_dilation = self.dilation
        if dilate:
            self.dilation *= stride
            stride = 1
        downsample = None
        if stride != 1 or self.inplanes != planes:
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
        layers = [BasicBlock(self.inplanes, planes, stride, downsample, previous_dilation)]
        self.inplanes = planes
        for _ in range(1, blocks):
            layers.append(BasicBlock(planes, planes, 1, None, self.dilation))
        return nn.Sequential(*layers)


def backbone(width, dilation):
    resnet = ThinResNet(1, width, [2, 2, 2, 2], dilation)
    return IntermediateLayerGetter(resnet, return_layers={"layer4": "out"})


# ---- milesial's U-Net (bilinear=False) ----------------------------------------------------------------------

class DoubleConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.double_conv = nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), DoubleConv(cin, cout))

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.up = nn.ConvTranspose2d(cin, cin // 2, kernel_size=2, stride=2)
        self.conv = DoubleConv(cin, cout)

    def forward(self, x1, x2):
        return self.conv(torch.cat([x2, self.up(x1)], dim=1))


class OutConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel_size=1)

    def forward(self, x):
        return self.conv(x)


class UNet(nn.Module):
    def __init__(self, in_channels, classes, w):
        super().__init__()
        self.inc = DoubleConv(in_channels, w)
        self.down1, self.down2 = Down(w, 2 * w), Down(2 * w, 4 * w)
        self.down3, self.down4 = Down(4 * w, 8 * w), Down(8 * w, 16 * w)
        self.up1, self.up2 = Up(16 * w, 8 * w), Up(8 * w, 4 * w)
        self.up3, self.up4 = Up(4 * w, 2 * w), Up(2 * w, w)
        self.outc = OutConv(w, classes)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        return self.outc(x)


class OutOnly(nn.Module):
    """torchvision's segmentation models return {"out": logits}; ONNX and the Java side see the tensor."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


# ---- the three cases -----------------------------------------------------------------------------------------

def models():
    # FCN: torchvision's FCN + FCNHead (in/4 channels) on a stride-32 thin ResNet-18, as FcnResNet.
    fcn = FCN(backbone(4, [False, False, False]), FCNHead(32, CLASSES))
    # DeepLabV3: torchvision's DeepLabV3 with DeepLabHead's layers (ASPP, 3x3 conv, BN, ReLU, 1x1 conv), width and
    # rates given, on an output-stride-8 thin ResNet-18, as DeepLabV3.deeplabv3Resnet18 at a quarter of its width.
    head = nn.Sequential(ASPP(32, [2, 4, 6], 8), nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8),
                         nn.ReLU(), nn.Conv2d(8, CLASSES, 1))
    deeplab = DeepLabV3(backbone(4, [False, True, True]), head)
    return [
        ("fcn_resnet18_w4", fcn, True, {"java": "new FcnResNet(ResNet.backbone(BASIC, {2,2,2,2}, 1, 4, "
                                                 "{false,false,false}), 5)"}),
        ("deeplabv3_resnet18_w4", deeplab, True, {"java": "new DeepLabV3(ResNet.backbone(BASIC, {2,2,2,2}, 1, 4, "
                                                          "{false,true,true}), 5, {2,4,6}, 8)"}),
        ("unet_w2", UNet(1, CLASSES, 2), False, {"java": "new UNet(1, 5, 2)"}),
    ]


def randomize(model, gen):
    """Random BatchNorm affine parameters and statistics, so that eval mode is not close to the identity."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(0.5 + torch.rand(m.weight.shape, generator=gen))
                m.bias.copy_(0.2 * torch.randn(m.bias.shape, generator=gen))
                m.running_mean.copy_(0.1 * torch.randn(m.running_mean.shape, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=gen))


def main(out_dir):
    for name, model, torchvision_out, meta in models():
        torch.manual_seed(SEED)
        gen = torch.Generator().manual_seed(SEED)
        # Fresh weights from the fixed seed (the modules were built before seeding: rebuild their parameters).
        for m in model.modules():
            if hasattr(m, "reset_parameters") and not isinstance(m, nn.BatchNorm2d):
                m.reset_parameters()
        randomize(model, gen)
        model.eval()
        wrapped = OutOnly(model) if torchvision_out else model
        x = torch.randn(INPUT_SHAPE, generator=gen)
        with torch.no_grad():
            y = wrapped(x)
        d = os.path.join(out_dir, name)
        os.makedirs(d, exist_ok=True)
        sd = OrderedDict((k, v) for k, v in model.state_dict().items())
        write_safetensors(os.path.join(d, "state_dict.safetensors"), sd,
                          {"generator": "tools/reference/make_segmentation_models.py", "torch": torch.__version__})
        meta = dict(meta, generator="tools/reference/make_segmentation_models.py", torch=torch.__version__,
                    seed=str(SEED), classes=str(CLASSES))
        write_safetensors(os.path.join(d, "io.safetensors"), OrderedDict(input=x, output=y), meta)
        gy = torch.randn(y.shape, generator=gen)
        xg = x.clone().requires_grad_(True)
        model.zero_grad()
        (wrapped(xg) * gy).sum().backward()
        grads = OrderedDict(gy=gy, gx=xg.grad)
        grads.update(("grad." + k, p.grad) for k, p in model.named_parameters())
        write_safetensors(os.path.join(d, "grads.safetensors"), grads, {"generator": meta["generator"],
                                                                        "torch": torch.__version__})
        # ONNX initializers keep the state-dict names (the wrapper adds "model." for torchvision's classes).
        torch.onnx.export(wrapped, x, os.path.join(d, "model.onnx"), opset_version=OPSET, input_names=["input"],
                          output_names=["output"], do_constant_folding=True,
                          training=torch.onnx.TrainingMode.EVAL)
        params = sum(p.numel() for p in model.parameters())
        print("%-24s %7d parameters, output %s, max |y| %.3f" % (name, params, tuple(y.shape), y.abs().max()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "testdata/segmentation")
