#!/usr/bin/python3
"""Generate the small TorchScript files amend's generic model path uses, and its test models.

1. The autograd helpers (amend-core main resources, dev/amend/model/autograd/):
   grad.pt and grad-graph.pt each wrap torch.autograd.grad(y, xs), without and with
   create_graph (the second keeps the graph, so its result can be differentiated again).
   DJL exposes only backward(), which accumulates into .grad; dev.amend.model.ScriptedModel
   needs gradients as values (for per-example gradients of a black-box module and for
   Hessian- and Gauss-Newton-vector products by double backward, docs/models.md), so it calls
   these helpers. Unused inputs get zero gradients.

2. Test models (amend-core test resources, dev/amend/model/user/): small image classifiers
   written the way a PyTorch user writes them, which amend must repair as black boxes:
   - user-cnn-bn.pt: conv-BatchNorm-ReLU-pool, a residual conv-BatchNorm block, pool,
     Dropout, linear; scripted (torch.jit.script), saved in evaluation mode. Its BatchNorm
     running statistics come from train-mode passes over the first 512 embedded MNIST images,
     so they are not the trivial 0/1 and a test can check amend leaves them alone.
   - user-cnn-bn-traced.pt: the same module traced (torch.jit.trace).
   - user-wide-output.pt: returns logits of 12 classes (for the class-count check).
   - user-tuple-output.pt: returns a tuple (logits, features) (for the output check).
   - user-softmax.pt, user-log-softmax.pt: a linear classifier whose forward ends in softmax
     (refused: probabilities, not logits) or in log_softmax (accepted).
   - user-cnn-bn-train.pt: user-cnn-bn's module scripted and saved in training mode (accepted:
     amend switches a scripted module to evaluation mode).
   - user-cnn-bn-traced-train.pt: the same module traced in training mode, so Dropout is frozen
     into the graph (refused: different outputs for the same input).
   - user-bn-traced-train.pt: the module without Dropout traced in training mode, so BatchNorm
     normalises with the statistics of each batch (refused: an image's output depends on its
     batch).
   - user-frozen.pt: user-cnn-bn's module with conv1 and bn1 frozen (requires_grad False), as
     a user fine-tuning a pretrained backbone leaves them; the repaired file must keep them
     marked frozen.
   The weights are PyTorch's default initialisation from torch.manual_seed(0): the tests train
   the models with amend before repairing them, or repair the untrained model for the mechanics.
   user-cnn-bn.pt is copied into the test resources of amend-cli and amend-example too.

Usage (Debian's python3-torch 1.13 is enough; any PyTorch >= 1.13 should do), from the
repository root:

    /usr/bin/python3 scripts/make-torchscript-helpers.py
"""

import gzip
import os
import shutil
import struct
import sys
from typing import List, Tuple

import torch
from torch import Tensor, nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELPERS = os.path.join(ROOT, "amend-core/src/main/resources/dev/amend/model/autograd")
TEST_MODELS = os.path.join(ROOT, "amend-core/src/test/resources/dev/amend/model/user")
# The CLI's and the Java example's tests run the same CNN; each module reads its own resources.
COPIES = [os.path.join(ROOT, "amend-cli/src/test/resources/user-cnn-bn.pt"),
          os.path.join(ROOT, "amend-example/src/test/resources/user-cnn-bn.pt")]
MNIST = os.path.join(ROOT, "amend-mnist/src/main/resources/dev/amend/data/mnist/images-idx3-ubyte.gz")


class Grad(nn.Module):
    """torch.autograd.grad(y, xs) as a module; zeros for inputs y does not depend on."""

    def __init__(self, keep_graph: bool):
        super().__init__()
        self.keep_graph = keep_graph

    def forward(self, y: Tensor, xs: List[Tensor]) -> List[Tensor]:
        gs = torch.autograd.grad([y], xs, create_graph=self.keep_graph, retain_graph=self.keep_graph,
                                 allow_unused=True)
        out: List[Tensor] = []
        for i in range(len(xs)):
            g = gs[i]
            if g is None:
                out.append(torch.zeros_like(xs[i]))
            else:
                out.append(g)
        return out


class UserCnn(nn.Module):
    """A small CNN with BatchNorm, a residual block and Dropout, as a user would write it."""

    def __init__(self, classes: int = 10, dropout: float = 0.25):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(8)
        self.drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(8 * 7 * 7, classes)

    def forward(self, x: Tensor) -> Tensor:
        h = torch.relu(self.bn1(self.conv1(x)))
        h = nn.functional.max_pool2d(h, 2)
        h = h + torch.relu(self.bn2(self.conv2(h)))
        h = nn.functional.max_pool2d(h, 2)
        return self.fc(self.drop(torch.flatten(h, 1)))


class TupleOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(28 * 28, 10)

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        f = torch.flatten(x, 1)
        return self.fc(f), f


class Probabilities(nn.Module):
    """A linear classifier whose forward ends in softmax or in log_softmax."""

    def __init__(self, log: bool):
        super().__init__()
        self.fc = nn.Linear(28 * 28, 10)
        self.log = log

    def forward(self, x: Tensor) -> Tensor:
        z = self.fc(torch.flatten(x, 1))
        if self.log:
            return torch.log_softmax(z, 1)
        return torch.softmax(z, 1)


def mnist_images(n: int) -> Tensor:
    with gzip.open(MNIST, "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 2051
        data = f.read(n * rows * cols)
    return torch.tensor(list(data), dtype=torch.float32).reshape(n, 1, rows, cols) / 255.0


def save(module: torch.jit.ScriptModule, folder: str, name: str) -> None:
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    module.save(path)
    print(f"{path}: {os.path.getsize(path)} bytes")


def main() -> None:
    if len(sys.argv) != 1:
        sys.exit("usage: make-torchscript-helpers.py (from anywhere; writes into the repository)")
    save(torch.jit.script(Grad(False)), HELPERS, "grad.pt")
    save(torch.jit.script(Grad(True)), HELPERS, "grad-graph.pt")

    torch.manual_seed(0)
    model = UserCnn()
    model.train()
    with torch.no_grad():
        images = mnist_images(512)
        for i in range(0, 512, 64):
            model(images[i:i + 64])
    model.eval()
    save(torch.jit.script(model), TEST_MODELS, "user-cnn-bn.pt")
    for copy in COPIES:
        shutil.copyfile(os.path.join(TEST_MODELS, "user-cnn-bn.pt"), copy)
        print(f"{copy}: copy")
    save(torch.jit.trace(model, images[:2]), TEST_MODELS, "user-cnn-bn-traced.pt")
    save(torch.jit.script(UserCnn(12).eval()), TEST_MODELS, "user-wide-output.pt")
    save(torch.jit.script(TupleOutput().eval()), TEST_MODELS, "user-tuple-output.pt")
    save(torch.jit.script(Probabilities(False).eval()), TEST_MODELS, "user-softmax.pt")
    save(torch.jit.script(Probabilities(True).eval()), TEST_MODELS, "user-log-softmax.pt")
    model.train()
    save(torch.jit.script(model), TEST_MODELS, "user-cnn-bn-train.pt")
    # check_trace=False: the check itself would trip over the frozen Dropout.
    save(torch.jit.trace(model, images[:2], check_trace=False), TEST_MODELS, "user-cnn-bn-traced-train.pt")
    torch.manual_seed(0)
    save(torch.jit.trace(UserCnn(dropout=0).train(), images[:2], check_trace=False), TEST_MODELS,
         "user-bn-traced-train.pt")
    save(torch.jit.script(frozen(model)), TEST_MODELS, "user-frozen.pt")


def frozen(model: UserCnn) -> UserCnn:
    """model in evaluation mode with its first convolution and BatchNorm frozen."""
    model.eval()
    for p in list(model.conv1.parameters()) + list(model.bn1.parameters()):
        p.requires_grad_(False)
    return model


if __name__ == "__main__":
    main()
