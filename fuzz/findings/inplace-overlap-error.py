# fuzz_diff finding: an in-place op whose input overlaps the tensor it
# writes. PyTorch 2.15 checks the overlap first and raises
# RuntimeError: unsupported operation: some elements of the input tensor and
# the written-to tensor refer to a single memory location. Please clone() the
# tensor before performing the operation.
# Here the broadcast check comes first: "output with shape [1, 3] doesn't
# match the broadcast shape [2, 3]" (with copy_ on a transposed view: "The
# size of tensor a (3) must match the size of tensor b (2) ...").
x = torch.tensor([[0., 0., 1.], [2., -0.5, 0.25]])
x[1:].add_(x, alpha=2)
