# fuzz_diff finding: `scalar ** tensor` records PowBackward2 with the saved
# tensors named ["result", "self"]; PyTorch 2.15 names them
# ["exponent", "result"] (pow.Scalar_Tensor(Scalar self, Tensor exponent)
# saves `exponent` and `result`; the scalar base is not a saved tensor).
x = torch.zeros(3, requires_grad=True)
y = 0 ** x
y.sum().backward()
