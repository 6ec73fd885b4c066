"""The SSM's short causal depthwise convolution, in the time-major layout the rest of the mixer uses.

y_t = bias + sum_k weight[:, k] * x_{t - K + 1 + k}, the K - 1 positions before the first taken from
`history`. nn.Conv1d wants channels-major (B, C, T): the transposes around it, and its depthwise
backward on CPU, cost more than the scan itself. Here forward and backward are K multiply-adds each
over contiguous (B, T, C) slices, with hand-written gradients so that autograd does not zero-fill a
padded buffer once per tap. Where a fused kernel exists (causal_conv1d), it replaces `causal_conv`.
"""

from __future__ import annotations

import torch


class _CausalDepthwiseConv(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, history: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor]:
        kernel, length = weight.shape[1], x.shape[1]
        padded = torch.cat([history, x], dim=1)  # (B, K-1+T, C)
        taps = weight.t()  # (K, C)
        y = torch.addcmul(bias, padded[:, :length], taps[0])  # (B, T, C)
        for k in range(1, kernel):
            y.addcmul_(padded[:, k:k + length], taps[k])
        ctx.save_for_backward(padded, weight)
        return y, padded[:, length:].clone()  # the last K-1 inputs: the history for what follows

    @staticmethod
    def backward(ctx, grad_y: torch.Tensor, grad_tail: torch.Tensor | None):
        padded, weight = ctx.saved_tensors
        kernel, length = weight.shape[1], grad_y.shape[1]
        taps = weight.t()  # (K, C)
        grad_padded = torch.zeros_like(padded)  # (B, K-1+T, C)
        if grad_tail is not None:
            grad_padded[:, length:] = grad_tail
        grad_taps = []
        for k in range(kernel):
            grad_padded[:, k:k + length].addcmul_(grad_y, taps[k])
            grad_taps.append((grad_y * padded[:, k:k + length]).sum((0, 1)))
        grad_weight = torch.stack(grad_taps, dim=1)  # (C, K)
        history = kernel - 1
        return grad_padded[:, history:], grad_padded[:, :history], grad_weight, grad_y.sum((0, 1))


def causal_conv(x: torch.Tensor, history: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor]:
    """x: (B, T, C); history: (B, K-1, C), the inputs before x; weight: (C, K); bias: (C,).
    Returns y (B, T, C) and the last K-1 inputs (B, K-1, C)."""
    return _CausalDepthwiseConv.apply(x, history, weight, bias)
