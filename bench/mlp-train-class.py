# Benchmark (issue 10): mlp-train.json written as learners write it: an
# nn.Module subclass, a train_step function, a loop with an f-string log.
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def train_step(model, opt, x, target):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), target)
    loss.backward()
    opt.step()
    return loss


model = Net(784, 256, 10)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.randn(64, 784)
target = torch.randint(0, 10, (64,))
history = []
for step in range(20):
    loss = train_step(model, opt, x, target)
    history.append(loss.item())
print(f"{len(history)} steps, last loss positive: {history[-1] > 0.0}")
