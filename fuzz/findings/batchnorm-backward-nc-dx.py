# Open: the input gradient of BatchNorm1d on an (N, C) input differs from
# PyTorch 2.15's in the last float32 bit for some elements (the weight and
# bias gradients, the (N, C, L) case and the forward match bit for bit).
# ATen's channels-last backward computes dx = (dy - sum/N - (x - mean)·k)
# ·invstd·w with vector code; which of its multiply-adds the AVX2 build fuses
# is not settled here: fusing (x - mean)·k into the subtraction matches some
# inputs, not fusing it others. Issue 13 (float32 kernels as PyTorch
# computes them).
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.zeros(2, 3)
m = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3))
m(x)
bn = nn.BatchNorm1d(4)
y = torch.randn(16, 4) * 3 + 1
bn(y)
bn(y * 0.5)
z = torch.randn(4, 2, 5)
y = torch.randn(16, 4) * 3 + 1
y.requires_grad_()
g = torch.randn(16, 4)
nn.BatchNorm1d(4)(y).backward(g)
print(y.grad[:3].tolist())
