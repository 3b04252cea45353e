# fuzz_diff finding: float32 sigmoid differs from PyTorch 2.15 in the last
# bit for some inputs. PyTorch's CPU kernel runs its vectorized path (AVX2,
# Sleef's expf, 1 - 2 ulp) even on 6 elements: sigmoid(0.0696) is
# 0.5173929333686829 there, and both the correctly rounded value and
# 1 / (1 + expf(-x)) in float32 give 0.5173929929733276 (ours). Printing
# rounds it away; tolist() shows it. Matching it means computing float32
# ops as PyTorch's kernels do, CPU capability included: issue 13.
x1 = torch.tensor([[-1.0349, 0.2265, -0.2217], [0.0835, 0.7174, 0.0696]])
y2 = x1.sigmoid()
print(y2.tolist())
