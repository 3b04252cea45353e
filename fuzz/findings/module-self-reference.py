# Known crash (issue 11 §2), reproduced by the interpreter fuzz target
# (AddressSanitizer: stack-overflow) and by the CLI (SIGSEGV, exit 139):
# printing a module that contains itself. PyTorch raises RecursionError.
m = nn.Module()
m.m = m
print(m)
