# fuzz_diff finding (known: issue 11 §1): clamp_ on a non-leaf result whose
# grad_fn saved it raises "one of the variables needed for gradient
# computation has been modified by an inplace operation"; PyTorch 2.15 runs
# the backward and gives x.grad = 0.
x = torch.tensor(0., requires_grad=True)
y = torch.minimum(x, x)
y.clamp_(-1., 0.)
y.backward()
print(x.grad)
