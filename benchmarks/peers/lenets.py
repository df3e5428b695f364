"""The PyTorch twins of the samples' generated networks (dev.cnnc.samples.CifarLeNet, FashionLeNet).

Same layers, same parameter counts, same state_dict layout as the cnnc models. The last layer gives
logits; cnnc's SOFTMAX output layer corresponds to logits + softmax (inference) or logits +
CrossEntropyLoss (training).
"""
import torch.nn as nn

# name -> (input shape C, H, W; first convolution's padding; parameter count of the cnnc model)
NETWORKS = {
    "cifar-lenet": ((3, 32, 32), 0, 62006),
    "fashion-lenet": ((1, 28, 28), 2, 61706),
}


def build(name):
    """Returns (network, input shape) for one of NETWORKS, with PyTorch's default initialization."""
    shape, padding, params = NETWORKS[name]
    net = nn.Sequential(
        nn.Conv2d(shape[0], 6, 5, padding=padding), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))
    count = sum(p.numel() for p in net.parameters())
    if count != params:
        raise AssertionError(f"{name}: {count} parameters, the cnnc model has {params}")
    return net, shape
