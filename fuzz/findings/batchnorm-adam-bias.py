# fuzz_diff finding: after one Adam step, the BatchNorm1d bias is
# [0, 0, 0] here and [0.00856, 0.00856, 0] in PyTorch 2.15. The bias
# gradient of a loss of the normalised outputs is zero in exact arithmetic;
# PyTorch's rounds to -5.96e-08 in two channels, ours to exactly 0, and
# Adam's m / (sqrt(v) + eps) turns that into a visible step.
m = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3))
opt = torch.optim.Adam(m.parameters(), lr=0.01)
m(torch.tensor([[1., 2., 3.], [-1., 0., 0.5]])).pow(2).mean().backward()
print(m[1].bias.grad.tolist())
opt.step()
