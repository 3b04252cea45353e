# Benchmark (issue 10): per-call overhead of the script's own functions. The
# scalar chain of scalar-chain.json, one function call per step: 10,000 calls
# of step(), 20,000 scalar ops on a 0-d tensor, then backward().
import torch


def step(y, rate=1.0001):
    return y * rate + 0.0001


def chain(x, n):
    y = x
    for i in range(n):
        y = step(y)
    return y


x = torch.tensor(1.0, requires_grad=True)
y = chain(x, 10000)
y.backward()
print(x.grad.item() > 1.0)
