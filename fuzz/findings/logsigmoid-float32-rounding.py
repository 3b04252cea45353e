# fuzz_diff finding (the float32 last-bit class of sigmoid-float32-rounding.py):
# float32 logsigmoid(1.5) is -0.20141328871250153 under PyTorch 2.15 (AVX2:
# the vectorized kernel, Sleef's expf and log1pf, even on 6 elements), while
# the correctly rounded value, and ours, is -0.20141327381134033 (exact:
# -0.2014132779827524). Printing rounds it away; tolist() shows it. Matching
# it means computing float32 ops as PyTorch's kernels do, CPU capability
# included: issue 13.
import torch
import torch.nn.functional as F

x1 = torch.tensor([0.5, 0.5, 0.5], requires_grad=True)
x2 = torch.arange(6.).reshape(2, 3).requires_grad_()
y4 = F.logsigmoid(x2.add(x1))
print(y4.tolist())
