"""Writes the small ONNX fixtures of the graph module's importer tests (run with Debian's python3-torch 1.13).

Each model is a scaled-down version of a torchvision architecture's building blocks (SqueezeNet's Fire,
GoogLeNet's Inception, DenseNet's dense and transition layers, EfficientNet's MBConv with SiLU and
squeeze-excitation, MnasNet's separable convs, RegNet's grouped bottleneck with SE) plus one model of
the remaining importer ops (LeakyReLU, HardSigmoid, HardSwish, interpolation, transposed and asymmetric
convolution, reflect padding, softmax). Random weights and randomized BatchNorm statistics, eval mode,
exported at the opset given, with the input and PyTorch's output saved beside it:

    <name>.onnx, <name>.safetensors (tensors 'input' and 'output')

Usage: python3 export_small_models.py OUT_DIR
"""
import json
import struct
import sys
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F


def bn(c):
    return nn.BatchNorm2d(c)


class Fire(nn.Module):
    def __init__(self, cin, squeeze, e1, e3):
        super().__init__()
        self.squeeze = nn.Conv2d(cin, squeeze, 1)
        self.expand1x1 = nn.Conv2d(squeeze, e1, 1)
        self.expand3x3 = nn.Conv2d(squeeze, e3, 3, padding=1)

    def forward(self, x):
        x = F.relu(self.squeeze(x))
        return torch.cat([F.relu(self.expand1x1(x)), F.relu(self.expand3x3(x))], 1)


class SqueezeNetTiny(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(inplace=True),
                                      nn.MaxPool2d(3, 2, ceil_mode=True), Fire(16, 8, 16, 16), Fire(32, 8, 16, 16),
                                      nn.MaxPool2d(3, 2, ceil_mode=True), Fire(32, 8, 16, 16))
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Conv2d(32, classes, 1), nn.ReLU(inplace=True),
                                        nn.AdaptiveAvgPool2d((1, 1)))

    def forward(self, x):
        return torch.flatten(self.classifier(self.features(x)), 1)


class BasicConv(nn.Module):
    def __init__(self, cin, cout, **kw):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, bias=False, **kw)
        self.bn = nn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)), inplace=True)


class Inception(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.branch1 = BasicConv(cin, 8, kernel_size=1)
        self.branch2 = nn.Sequential(BasicConv(cin, 6, kernel_size=1), BasicConv(6, 8, kernel_size=3, padding=1))
        self.branch3 = nn.Sequential(BasicConv(cin, 4, kernel_size=1), BasicConv(4, 8, kernel_size=3, padding=1))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True), BasicConv(cin, 8, kernel_size=1))

    def forward(self, x):
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class GoogLeNetTiny(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = BasicConv(3, 16, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = Inception(16)
        self.inception3b = Inception(32)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(32, classes)

    def forward(self, x):
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        return self.fc(self.dropout(torch.flatten(self.avgpool(x), 1)))


class DenseLayer(nn.Module):
    def __init__(self, cin, growth):
        super().__init__()
        self.norm1 = bn(cin)
        self.conv1 = nn.Conv2d(cin, 2 * growth, 1, bias=False)
        self.norm2 = bn(2 * growth)
        self.conv2 = nn.Conv2d(2 * growth, growth, 3, padding=1, bias=False)

    def forward(self, feats):
        x = torch.cat(feats, 1)
        x = self.conv1(F.relu(self.norm1(x)))
        return self.conv2(F.relu(self.norm2(x)))


class DenseNetTiny(nn.Module):
    def __init__(self, classes=10, growth=8):
        super().__init__()
        self.conv0 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.norm0 = bn(16)
        self.layers = nn.ModuleList([DenseLayer(16 + i * growth, growth) for i in range(3)])
        self.transition_norm = bn(16 + 3 * growth)
        self.transition_conv = nn.Conv2d(16 + 3 * growth, 20, 1, bias=False)
        self.transition_pool = nn.AvgPool2d(2, 2)
        self.norm5 = bn(20)
        self.classifier = nn.Linear(20, classes)

    def forward(self, x):
        feats = [F.relu(self.norm0(self.conv0(x)))]
        for layer in self.layers:
            feats.append(layer(feats))
        x = self.transition_pool(self.transition_conv(F.relu(self.transition_norm(torch.cat(feats, 1)))))
        x = F.relu(self.norm5(x))
        return self.classifier(torch.flatten(F.adaptive_avg_pool2d(x, (1, 1)), 1))


class SqueezeExcitation(nn.Module):
    def __init__(self, c, squeeze, act=nn.SiLU):
        super().__init__()
        self.fc1 = nn.Conv2d(c, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, c, 1)
        self.act = act()

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        return x * torch.sigmoid(self.fc2(self.act(self.fc1(s))))


class MBConv(nn.Module):
    def __init__(self, cin, cout, expand, stride, se=True, act=nn.SiLU):
        super().__init__()
        mid = cin * expand
        layers = []
        if expand != 1:
            layers += [nn.Conv2d(cin, mid, 1, bias=False), bn(mid), act()]
        layers += [nn.Conv2d(mid, mid, 3, stride=stride, padding=1, groups=mid, bias=False), bn(mid), act()]
        if se:
            layers += [SqueezeExcitation(mid, max(1, cin // 4), act)]
        layers += [nn.Conv2d(mid, cout, 1, bias=False), bn(cout)]
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.block(x)
        return x + y if self.residual else y


class EfficientNetTiny(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), bn(16), nn.SiLU()),
                                      MBConv(16, 16, 1, 1), MBConv(16, 24, 4, 2), MBConv(24, 24, 4, 1),
                                      nn.Sequential(nn.Conv2d(24, 64, 1, bias=False), bn(64), nn.SiLU()))
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(64, classes))

    def forward(self, x):
        return self.classifier(torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1))


class MnasNetTiny(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.layers = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), bn(16), nn.ReLU(inplace=True),
                                    MBConv(16, 16, 1, 1, se=False, act=nn.ReLU), MBConv(16, 24, 3, 2, se=False, act=nn.ReLU),
                                    MBConv(24, 24, 3, 1, se=False, act=nn.ReLU),
                                    nn.Conv2d(24, 64, 1, bias=False), bn(64), nn.ReLU(inplace=True))
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(64, classes))

    def forward(self, x):
        return self.classifier(self.layers(x).mean([2, 3]))


class RegNetBlock(nn.Module):
    def __init__(self, cin, cout, stride, group_width=8):
        super().__init__()
        self.a = nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), bn(cout), nn.ReLU(inplace=True))
        self.b = nn.Sequential(nn.Conv2d(cout, cout, 3, stride, 1, groups=cout // group_width, bias=False), bn(cout),
                               nn.ReLU(inplace=True))
        self.se = SqueezeExcitation(cout, cin // 4, nn.ReLU)
        self.c = nn.Sequential(nn.Conv2d(cout, cout, 1, bias=False), bn(cout))
        self.proj = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), bn(cout))

    def forward(self, x):
        y = self.c(self.se(self.b(self.a(x))))
        return F.relu(y + (x if self.proj is None else self.proj(x)))


class RegNetTiny(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), bn(16), nn.ReLU(inplace=True))
        self.trunk = nn.Sequential(RegNetBlock(16, 24, 2), RegNetBlock(24, 24, 1), RegNetBlock(24, 48, 2))
        self.fc = nn.Linear(48, classes)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.trunk(self.stem(x)), (1, 1))
        return self.fc(x.flatten(start_dim=1))


class MiscOps(nn.Module):
    """The importer ops that the architectures above do not use."""

    def __init__(self):
        super().__init__()
        self.pad = nn.ZeroPad2d((0, 1, 0, 1))
        self.conv = nn.Conv2d(3, 8, 3, stride=2)
        self.up = nn.ConvTranspose2d(8, 6, 3, stride=2, padding=1, output_padding=1)
        self.conv2 = nn.Conv2d(6, 6, 3, padding=1, padding_mode='reflect')
        self.pool = nn.AvgPool2d(3, 2, padding=1, count_include_pad=False)
        self.fc = nn.Linear(24, 5)

    def forward(self, x):
        x = F.leaky_relu(self.conv(self.pad(x)), 0.1)
        x = F.hardsigmoid(self.up(x)) * 3 - 1
        x = F.hardswish(self.conv2(x))
        x = F.interpolate(x, scale_factor=2, mode='nearest')
        x = F.interpolate(x, size=(12, 10), mode='bilinear', align_corners=False)
        x = F.interpolate(x, scale_factor=0.5, mode='bilinear', align_corners=True)
        x = self.pool(x) / 2
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1, 6)
        x = torch.softmax(x.reshape(x.shape[0], -1) @ torch.ones(54, 24) * 0.1, dim=-1)
        return self.fc(x)


MODELS = {
    'squeezenet_tiny': (SqueezeNetTiny, (1, 3, 64, 64), 13),
    'googlenet_tiny': (GoogLeNetTiny, (2, 3, 64, 64), 13),
    'densenet_tiny': (DenseNetTiny, (1, 3, 32, 32), 13),
    'efficientnet_tiny': (EfficientNetTiny, (1, 3, 64, 64), 13),
    'mnasnet_tiny': (MnasNetTiny, (1, 3, 64, 64), 11),
    'regnet_tiny': (RegNetTiny, (1, 3, 64, 64), 13),
    'misc_ops': (MiscOps, (2, 3, 15, 15), 14),
}


def write_safetensors(path, tensors):
    header = {}
    offset = 0
    blobs = []
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header).encode()
    raw += b' ' * ((8 - len(raw) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def main(out):
    for name, (cls, shape, opset) in MODELS.items():
        torch.manual_seed(zlib.crc32(name.encode()))
        model = cls()
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.data.uniform_(0.5, 1.5)
                m.bias.data.uniform_(-0.2, 0.2)
        model.eval()
        x = torch.randn(*shape)
        with torch.no_grad():
            y = model(x)
        torch.onnx.export(model, x, f'{out}/{name}.onnx', opset_version=opset, input_names=['input'],
                          output_names=['output'], training=torch.onnx.TrainingMode.EVAL, do_constant_folding=True)
        write_safetensors(f'{out}/{name}.safetensors', {'input': x, 'output': y})
        print(name, tuple(y.shape))


if __name__ == '__main__':
    main(sys.argv[1])
