# Open (fuzz_diff, 2026-12-03, third session): the double backward of abs
# (sgn's derivative is zero) hands PyTorch 2.15 an efficient ZeroTensor,
# which AccumulateGrad stores as x1.grad; the next backward adding into it
# raises "RuntimeError: ZeroTensors are immutable. Please use the
# materialized zero tensor obtained using .clone() if you want a mutable
# tensor." (and reading x1.grad raises too). autograd-viz has no ZeroTensor:
# it stores real zeros and the second backward succeeds. Issue 11's class (a
# PyTorch behaviour to model): ZeroTensor results of formulas whose
# derivative is identically zero.
import torch

x1 = torch.randn(3, requires_grad=True)
y2 = x1.abs()
g4 = torch.autograd.grad(y2.mean(), [x1], create_graph=True)
g4[0].sum().backward()
y2.mean().backward()
