# fuzz_diff finding (known: issue 11 §1): an in-place op on a leaf that is
# itself a view. PyTorch 2.15: RuntimeError: a view of a leaf Variable that
# requires grad is being used in an in-place operation.
# Here: "a leaf Variable that requires grad is being used in an in-place
# operation."
x = torch.arange(6.).reshape(2, 3).requires_grad_()
x += 0.5
