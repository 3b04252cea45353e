# fuzz_diff finding: BatchNorm1d in training on a channel whose values are
# all equal prints exact zeros; PyTorch 2.15 prints
# [[4.93e-06, 1.52e-06, 2.24e-06], [4.93e-06, 1.52e-06, 2.24e-06]]
# (its batch norm rounds differently from (x - mean) * invstd, and
# invstd = 1/sqrt(0 + eps) ≈ 316 magnifies the rounding). The same rounding
# makes PyTorch's bias gradient -5.96e-08 where ours is exactly 0
# (batchnorm-adam-bias.py).
x = torch.zeros(2, 3)
m = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3))
h = m(x)
print(h.tolist())
