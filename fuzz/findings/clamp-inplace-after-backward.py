# fuzz_diff finding (related to clamp-inplace-saved.py): the second backward
# through a freed graph, after clamp_ on its output. PyTorch 2.15 raises
# "Trying to backward through the graph a second time (or directly access
# saved tensors after they have already been freed). ..."; here the version
# check comes first: "one of the variables needed for gradient computation
# has been modified by an inplace operation: [torch.FloatTensor []], which
# is output 0 of Sum... ".
x = torch.tensor(0., requires_grad=True)
y = x.softmax(0).sum()
y.backward()
y.clamp_(min=0.5)
y.backward()
