"""PyTorch side of bench/throughput.ts: the same three models, batch and optimizer.

Steps/second of forward + backward + SGD-momentum update on one fixed random batch, with
PyTorch's fastest plain-CPU settings: logits + CrossEntropyLoss (fused log-softmax), channels
last for the CNN is not used (NCHW is PyTorch's fast path on CPU), no autograd anomaly checks.
Prints one JSON line. Thread count: torch.get_num_threads() unless --threads is given.
"""
import argparse
import json
import time

import torch
from torch import nn


def build(name):
    if name == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(800, 10),
        ), (1, 28, 28)
    hidden = [256] if name == "mlp256" else [512, 512]
    layers, width = [], 784
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers), (784,)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--models", default="mlp256,mlp512,cnn")
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    out = []
    for name in a.models.split(","):
        model, shape = build(name)
        x = torch.rand(a.batch, *shape)
        y = torch.randint(0, 10, (a.batch,))
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()

        def step():
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            return loss.item()  # the engine reads every loss too

        for _ in range(3):
            step()
        n, t0 = 0, time.perf_counter()
        while n < 3 or time.perf_counter() - t0 < a.seconds:
            step()
            n += 1
        out.append({"model": name, "stepsPerSecond": n / (time.perf_counter() - t0), "error": None})
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "out": out}))


if __name__ == "__main__":
    main()
