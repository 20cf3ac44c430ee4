"""PyTorch's median milliseconds per call for the keys of `legodnn bench`, measured the same way.

The peer for the training step (DESIGN.md, "Performance method"): run it beside `bin/legodnn bench` in the
same session so that the ratios come from one machine state. Needs Debian's python3-torch (and
python3-torchvision for the ImageNet models). Prints one JSON object {key: ms} on stdout, progress on stderr.

    python3 benchmarks/peers/pytorch_bench.py --threads 1 [--keys cifar_resnet20_train_step_b128]
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    """He et al.'s CIFAR block; a projection shortcut (1x1 conv + BN) where the shape changes, as ours."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class CifarResNet20(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            blocks = []
            for i in range(3):
                blocks.append(BasicBlock(cin, cout, stride if i == 0 else 1))
                cin = cout
            layers.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = layers
        self.linear = nn.Linear(64, classes)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.layer3(self.layer2(self.layer1(y)))
        return self.linear(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1))


def workloads():
    def tv(name):
        import torchvision.models as m
        return getattr(m, name)(num_classes=1000)
    return {
        "resnet18_b1_224": (lambda: tv("resnet18"), 1, 224, False),
        "mobilenet_v2_b1_224": (lambda: tv("mobilenet_v2"), 1, 224, False),
        "cifar_resnet20_b1_32": (CifarResNet20, 1, 32, False),
        "cifar_resnet20_b128_32": (CifarResNet20, 128, 32, False),
        "cifar_resnet20_train_step_b128": (CifarResNet20, 128, 32, True),
    }


def measure(make, batch, size, train, warmup_s, time_s):
    torch.manual_seed(1)
    model = make()
    x = torch.randn(batch, 3, size, size)
    if train:
        model.train()
        labels = torch.randint(0, 10, (batch,))
        sgd = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)

        def call():
            sgd.zero_grad()
            F.cross_entropy(model(x), labels).backward()
            sgd.step()
    else:
        model.eval()

        def call():
            with torch.no_grad():
                model(x)
    end = time.perf_counter() + warmup_s
    while time.perf_counter() < end:
        call()
    times = []
    end = time.perf_counter() + time_s
    while time.perf_counter() < end or len(times) < 5:
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), len(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--keys", default=",".join(workloads()))
    p.add_argument("--warmup-time", type=float, default=3)
    p.add_argument("--time", type=float, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    known = workloads()
    out = {}
    for key in a.keys.split(","):
        if key not in known:
            sys.exit(f"pytorch_bench: unknown key '{key}' (known: {', '.join(known)})")
        ms, runs = measure(*known[key], a.warmup_time, a.time)
        print(f"pytorch {torch.__version__} {a.threads} thr: {key} {ms:.3f} ms (median of {runs})", file=sys.stderr)
        out[key] = round(ms, 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
