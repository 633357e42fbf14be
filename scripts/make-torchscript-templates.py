#!/usr/bin/python3
"""Generate the TorchScript templates that amend fills with a model's parameters on export.

amend writes TorchScript files without Python: dev.amend.model.TorchScript loads one of these
templates with DJL, calls its `amend_load` method with the model's parameter tensors, its
per-channel input mean and its spec (JSON), and saves the module. Every template mirrors one
network of dev.amend.model.Architectures layer by layer, so its parameters have amend's names
(prefixed by "net.") in amend's flat order.

Why `amend_load` assigns tensors (`self.weight = w`) instead of copying into them: a copy
needs the template to have the final shapes already, and the shapes depend on the input shape,
the class count, hidden sizes and widths. Assignment replaces the tensor, so a template fixes
only the layer structure and nothing of the sizes or the dtype: one file serves MNIST and
CIFAR-10, any hidden width, and float32 as well as float64. (Tensor.set_ would keep the
parameter objects but silently reinterprets the bytes when the dtype differs.) The template's
own tensors are therefore tiny placeholders.

Every layer module has `amend_load(ps, at) -> int`: it takes its tensors from the list ps
starting at index `at` and returns the index after them, so containers just thread the index
through their children and no template needs generated code.

The forward takes raw pixels N x C x H x W in [0, 1] and subtracts the stored per-channel
mean in float32 before casting to the model's dtype, exactly as amend prepares inputs, so an
exported file is self-contained.

Templates written (one file per layer structure):
    paper-cnn.pt (two pools), paper-cnn-pools1.pt (model option pools=1), logreg.pt, mlp-{relu,tanh}-{1..4}.pt (hidden layers), resnet-{8,14,20}.pt

Usage (Debian's python3-torch 1.13 is enough; any PyTorch >= 1.13 should do):

    /usr/bin/python3 scripts/make-torchscript-templates.py amend-core/src/main/resources/dev/amend/model/torchscript

The script checks every template in Python before writing it: loaded with real-sized random
parameters it must give the logits of an independent functional implementation.
"""

import os
import sys
from typing import List

import torch
import torch.nn.functional as F
from torch import Tensor, nn

MLP_DEPTHS = (1, 2, 3, 4)
RESNET_DEPTHS = (8, 14, 20)


class Conv2d(nn.Conv2d):
    """nn.Conv2d whose weight and bias are replaced by amend_load (any channel counts)."""

    @torch.jit.export
    def amend_load(self, ps: List[Tensor], at: int) -> int:
        self.weight = ps[at]
        self.bias = ps[at + 1]
        return at + 2


class Linear(nn.Linear):
    """nn.Linear whose weight and bias are replaced by amend_load (any sizes)."""

    @torch.jit.export
    def amend_load(self, ps: List[Tensor], at: int) -> int:
        self.weight = ps[at]
        self.bias = ps[at + 1]
        return at + 2


class ReLU(nn.ReLU):
    @torch.jit.export
    def amend_load(self, ps: List[Tensor], at: int) -> int:
        return at


class Tanh(nn.Tanh):
    @torch.jit.export
    def amend_load(self, ps: List[Tensor], at: int) -> int:
        return at


class Flatten(nn.Flatten):
    @torch.jit.export
    def amend_load(self, ps: List[Tensor], at: int) -> int:
        return at


class MaxPool2(nn.MaxPool2d):
    """2x2 max-pooling, stride 2, odd rows and columns dropped (amend's MaxPool2)."""

    def __init__(self):
        super().__init__(2, 2)

    @torch.jit.export
    def amend_load(self, ps: List[Tensor], at: int) -> int:
        return at


class GlobalAvgPool(nn.Module):
    """(N, C, H, W) -> (N, C): the mean over the spatial axes."""

    def forward(self, x: Tensor) -> Tensor:
        return x.mean([2, 3])

    @torch.jit.export
    def amend_load(self, ps: List[Tensor], at: int) -> int:
        return at


class Sequential(nn.Sequential):
    """nn.Sequential that loads its children's tensors in order; empty means identity."""

    @torch.jit.export
    def amend_load(self, ps: List[Tensor], at: int) -> int:
        for layer in self:
            at = layer.amend_load(ps, at)
        return at


class Residual(nn.Module):
    """relu(body(x) + shortcut(x)), amend's Residual: the body's tensors come first."""

    def __init__(self, body: Sequential, shortcut: Sequential):
        super().__init__()
        self.body = body
        self.shortcut = shortcut

    def forward(self, x: Tensor) -> Tensor:
        return torch.relu(self.body(x) + self.shortcut(x))

    @torch.jit.export
    def amend_load(self, ps: List[Tensor], at: int) -> int:
        at = self.body.amend_load(ps, at)
        return self.shortcut.amend_load(ps, at)


class AmendModel(nn.Module):
    """The exported model: raw pixels in, logits out.

    input_mean (buffer, C values in the model's dtype) is the per-channel training mean that
    amend subtracts from every input; amend_spec is the amend model spec as JSON, so that amend
    can load the file back without being told the architecture.
    """

    amend_spec: str

    def __init__(self, net: Sequential):
        super().__init__()
        self.register_buffer("input_mean", torch.zeros(1))
        self.amend_spec = ""
        self.net = net

    def forward(self, x: Tensor) -> Tensor:
        # amend stores pixels as float32 and subtracts the mean in float32 before any cast.
        mean = self.input_mean.float().view(1, -1, 1, 1)
        return self.net((x.float() - mean).to(self.input_mean.dtype))

    @torch.jit.export
    def amend_load(self, ps: List[Tensor], input_mean: Tensor, spec: str) -> int:
        """Replaces every parameter (amend's flat order) and the mean; returns how many it took."""
        self.input_mean = input_mean
        self.amend_spec = spec
        return self.net.amend_load(ps, 0)


# ------------------------------------------------------------------ the architectures
# Placeholder sizes: every tensor is replaced on export, so the smallest valid layers keep the
# resource files small.

def conv(stride: int = 1, kernel: int = 3, padding: int = 1) -> Conv2d:
    return Conv2d(1, 1, kernel, stride=stride, padding=padding)


def paper_cnn(pools: int) -> Sequential:
    first: List[nn.Module] = [conv(), ReLU()] + ([MaxPool2()] if pools == 2 else [])
    return Sequential(*first, conv(), ReLU(), MaxPool2(), conv(), ReLU(), conv(), ReLU(),
                      GlobalAvgPool(), Linear(1, 1))


def logreg() -> Sequential:
    return Sequential(Flatten(), Linear(1, 1))


def mlp(activation: str, hidden_layers: int) -> Sequential:
    layers: List[nn.Module] = [Flatten()]
    for _ in range(hidden_layers):
        layers.append(Linear(1, 1))
        layers.append(ReLU() if activation == "relu" else Tanh())
    layers.append(Linear(1, 1))
    return Sequential(*layers)


def resnet(depth: int) -> Sequential:
    blocks = (depth - 2) // 6
    layers: List[nn.Module] = [conv(), ReLU()]
    for stage in range(3):
        for b in range(blocks):
            stride = 2 if stage > 0 and b == 0 else 1
            body = Sequential(conv(stride), ReLU(), conv())
            # Stage 0 keeps the width, later stages double it and halve the resolution.
            shortcut = Sequential() if stage == 0 or b > 0 else Sequential(conv(stride, kernel=1, padding=0))
            layers.append(Residual(body, shortcut))
    layers.extend([GlobalAvgPool(), Linear(1, 1)])
    return Sequential(*layers)


def templates():
    """(file name, builder) pairs; builders, so the check and the saved file use fresh modules."""
    yield "paper-cnn", lambda: paper_cnn(2)
    yield "paper-cnn-pools1", lambda: paper_cnn(1)
    yield "logreg", logreg
    for act in ("relu", "tanh"):
        for d in MLP_DEPTHS:
            yield f"mlp-{act}-{d}", lambda act=act, d=d: mlp(act, d)
    for d in RESNET_DEPTHS:
        yield f"resnet-{d}", lambda d=d: resnet(d)


# ------------------------------------------------------------------ the self-check

def real_shapes(name: str, c: int, hw: int, k: int):
    """Parameter shapes of amend's network for c x hw x hw inputs and k classes."""
    if name.startswith("paper-cnn"):
        return [(32, c, 3, 3), (32,), (32, 32, 3, 3), (32,), (64, 32, 3, 3), (64,), (64, 64, 3, 3), (64,),
                (k, 64), (k,)]
    if name == "logreg":
        return [(k, c * hw * hw), (k,)]
    if name.startswith("mlp-"):
        d = int(name.split("-")[2])
        widths = [c * hw * hw] + [7 + i for i in range(d)] + [k]
        out = []
        for i in range(d + 1):
            out += [(widths[i + 1], widths[i]), (widths[i + 1],)]
        return out
    depth = int(name.split("-")[1])
    width = 4
    out = [(width, c, 3, 3), (width,)]
    cin = width
    for stage in range(3):
        cout = width << stage
        for b in range((depth - 2) // 6):
            out += [(cout, cin, 3, 3), (cout,), (cout, cout, 3, 3), (cout,)]
            if stage > 0 and b == 0:
                out += [(cout, cin, 1, 1), (cout,)]
            cin = cout
    return out + [(k, cin), (k,)]


def reference(name: str, ps: List[Tensor], x: Tensor) -> Tensor:
    """An independent functional forward of amend's network, written from Architectures.java."""
    it = iter(ps)

    def take():
        return next(it), next(it)

    if name.startswith("paper-cnn"):
        pooled_after = (1,) if name == "paper-cnn-pools1" else (0, 1)
        h = x
        for i in range(4):
            w, b = take()
            h = F.relu(F.conv2d(h, w, b, padding=1))
            if i in pooled_after:
                h = F.max_pool2d(h, 2)
        w, b = take()
        return F.linear(h.mean([2, 3]), w, b)
    if name.startswith("mlp-") or name == "logreg":
        h = x.flatten(1)
        layers = len(ps) // 2
        for i in range(layers):
            w, b = take()
            h = F.linear(h, w, b)
            if i < layers - 1:
                h = F.relu(h) if "relu" in name else torch.tanh(h)
        return h
    depth = int(name.split("-")[1])
    w, b = take()
    h = F.relu(F.conv2d(x, w, b, padding=1))
    for stage in range(3):
        for blk in range((depth - 2) // 6):
            stride = 2 if stage > 0 and blk == 0 else 1
            w1, b1 = take()
            w2, b2 = take()
            body = F.conv2d(F.relu(F.conv2d(h, w1, b1, stride=stride, padding=1)), w2, b2, padding=1)
            if stage > 0 and blk == 0:
                ws, bs = take()
                h = F.relu(body + F.conv2d(h, ws, bs, stride=stride))
            else:
                h = F.relu(body + h)
    w, b = take()
    return F.linear(h.mean([2, 3]), w, b)


def check(name: str, build) -> None:
    for dtype in (torch.float32, torch.float64):
        for c, hw, k in ((1, 28, 10), (3, 32, 10), (2, 9, 3)):
            gen = torch.Generator().manual_seed(1)
            ps = [torch.randn(s, generator=gen, dtype=dtype) * 0.3 for s in real_shapes(name, c, hw, k)]
            mean = torch.rand(c, generator=gen).to(dtype)
            m = torch.jit.script(AmendModel(build()).eval())
            taken = m.amend_load(ps, mean, "{}")
            assert taken == len(ps), (name, taken, len(ps))
            got = [tuple(p.shape) for p in m.parameters()]
            assert got == [tuple(p.shape) for p in ps], (name, got)
            x = torch.rand(4, c, hw, hw, generator=gen)
            want = reference(name, ps, (x - mean.float().view(1, -1, 1, 1)).to(dtype))
            with torch.no_grad():
                diff = (m(x) - want).abs().max().item()
            assert diff < (1e-5 if dtype == torch.float32 else 1e-12), (name, dtype, diff)


REEXEC = "AMEND_TORCHSCRIPT_TEMPLATES_REEXEC"


def reexec_reproducibly(out: str) -> None:
    """Runs this script again so that its output is byte-identical run to run.

    TorchScript writes a module's constants in set order, which depends on Python's string hash
    seed, and its debug records hold the path of the file that defined each method. So the
    second run has PYTHONHASHSEED=0 and compiles this file under its path relative to the
    repository root (from the root as working folder), wherever the checkout is.
    """
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rel = os.path.relpath(os.path.abspath(__file__), root)
    code = (f"import sys; sys.argv = [{rel!r}, {os.path.abspath(out)!r}]; __file__ = {rel!r}; "
            f"exec(compile(open({rel!r}).read(), {rel!r}, 'exec'))")
    os.chdir(root)
    env = dict(os.environ, PYTHONHASHSEED="0", **{REEXEC: "1"})
    os.execve(sys.executable, [sys.executable, "-c", code], env)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: make-torchscript-templates.py OUTPUT_FOLDER")
    out = sys.argv[1]
    if os.environ.get(REEXEC) != "1":
        reexec_reproducibly(out)
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    for name, build in templates():
        check(name, build)
        module = torch.jit.script(AmendModel(build()).eval())
        path = os.path.join(out, name + ".pt")
        module.save(path)
        print(f"{path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
