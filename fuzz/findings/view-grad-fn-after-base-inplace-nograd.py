# fuzz_diff finding (views, issue 11 §1): after the base of a view is
# modified in place (here under no_grad), PyTorch 2.15 regenerates the
# view's grad_fn when it is read: y.grad_fn is AsStridedBackward0. Here it
# stays SelectBackward0.
x = torch.tensor([0., 1., -2.], requires_grad=True)
y = x[0]
with torch.no_grad():
    x.fill_(3.)
print(y.grad_fn)
