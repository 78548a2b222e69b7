# %% [markdown]
# # Mean versus sum reduction, and the missing 1/2
#
# D2L §3.5, exercise 1 (the current English edition; EN 0.17 and ZH v2 §3.3, exercise 1): "How
# would you need to change the learning rate if you replace the aggregate loss over the minibatch
# with an average over the loss on the minibatch?" (ZH: 如果将小批量的总损失替换为小批量损失的平均值，
# 需要如何更改学习率？) EN 0.17 asks it about PyTorch's own loss: "If we replace
# `nn.MSELoss(reduction='sum')` with `nn.MSELoss()`, how can we change the learning rate for the
# code to behave identically?"
#
# Plain SGD steps by the learning rate times the gradient, so what matters is how big the gradient
# is. A minibatch of $B$ examples has the losses $l_1, \dots, l_B$:
#
# - `reduction="sum"` trains on $\sum_i l_i$, whose gradient is the sum of the $B$ examples'
#   gradients;
# - `reduction="mean"` trains on $\frac{1}{B}\sum_i l_i$, whose gradient is the same sum divided by
#   $B$.
#
# D2L's scratch loop is a third variant: it sums the losses $\frac{1}{2}(\hat y - y)^2$ (with a
# $\frac{1}{2}$) and its `sgd` divides the step by `batch_size`. The concise code of §3.3 trains
# `nn.MSELoss()`, the mean of $(\hat y - y)^2$ (no $\frac{1}{2}$), with `torch.optim.SGD`.
#
# **Predict before you run anything**, and write your answers down:
# 1. A model trains well with `reduction="mean"` at lr 0.03 and batch size 10. With
#    `reduction="sum"`, which lr takes exactly the same steps? And the other way round, from a
#    sum at lr 0.003 to a mean?
# 2. "Mean" sounds like dividing. Why does going from the sum to the mean then *multiply* the
#    learning rate?
# 3. Which lr for D2L's scratch loop takes the same steps as `torch.optim.SGD(lr=0.03)` on
#    `nn.MSELoss()`? Does the batch size enter your answer?
#
# <details>
# <summary>The book's numbers (open this after you have predicted)</summary>
#
# - Mean at lr 0.03 takes the same steps as sum at lr 0.003 (batch size 10), and sum at lr 0.003
#   the same as mean at lr 0.03: the mean's gradient is the sum's divided by $B$, so the mean needs a
#   learning rate $B$ times larger. Going from the sum to the mean multiplies the learning rate by
#   $B$; going from the mean to the sum divides it. (Published answers get this backwards, for
#   example "the mean is smaller than the sum, so divide the learning rate by the batch size".)
# - D2L's scratch loop at lr 0.06 takes the same steps as `nn.MSELoss()` with
#   `torch.optim.SGD(lr=0.03)`. Both average over the minibatch (`sgd`'s `/ batch_size` is a mean),
#   so the batch size cancels; what is left is the $\frac{1}{2}$: the gradient of $r^2$ is $2r$, of
#   $\frac{1}{2}r^2$ only $r$, so the scratch loop needs twice the learning rate.
#
# </details>
#
# Implement:
# 1. `equivalent_lr(lr, batch_size, from_reduction, to_reduction)`: the learning rate for the
#    `to_reduction` loss that takes exactly the steps `lr` takes on the `from_reduction` loss, for
#    the reductions "sum" and "mean" (the same reduction keeps `lr`); any other string raises
#    `ValueError`.
# 2. `scratch_lr_matching_mseloss(lr_mse)`: the learning rate for D2L's scratch loop that takes
#    the steps of `torch.optim.SGD(lr=lr_mse)` on `nn.MSELoss()`.
#
# Both return a Python float. Work the answers out on paper first; then the cell after your
# functions trains one epoch each way from the same start, on the same minibatches, and prints
# how far apart the runs end (its plain SGD steps by lr times the gradient, as `torch.optim.SGD`
# does, written out).
#
# If you run experiments of your own, create the loss object first and call it on tensors
# (`loss = nn.MSELoss()`, then `loss(y_hat, y)`; `nn.MSELoss(y_hat, y)` passes the tensors as
# options), and use `nn.Linear(2, 1)`, not `nn.LazyLinear`, whose weights are only created at the
# first call.

# %%
import torch
from torch import nn

# D2L's helpers (§3.2), the course's copy of the book's code: the data, the 1/2 squared loss and
# the update (which divides by batch_size).
from course_checks.probes.d2l import sgd, squared_loss, synthetic_data


# %%
def equivalent_lr(lr: float, batch_size: int, from_reduction: str, to_reduction: str) -> float:
    """Return the learning rate that makes plain SGD on the to_reduction minibatch loss take exactly the steps lr takes on the from_reduction loss.

    The reductions are "sum" and "mean"; any other string raises ValueError.
    """
    ### BEGIN SOLUTION
    for reduction in (from_reduction, to_reduction):
        if reduction not in ("sum", "mean"):
            raise ValueError(f"a reduction is 'sum' or 'mean', not {reduction!r}")
    if from_reduction == to_reduction:
        return float(lr)
    # The mean's gradient is the sum's divided by batch_size: its steps are batch_size times smaller.
    return lr * batch_size if to_reduction == "mean" else lr / batch_size
    ### END SOLUTION


# %%
def scratch_lr_matching_mseloss(lr_mse: float) -> float:
    """Return the learning rate for D2L's scratch loop (summed 1/2 squared loss, sgd dividing by batch_size) whose steps equal torch.optim.SGD(lr=lr_mse) on nn.MSELoss()."""
    ### BEGIN SOLUTION
    return 2.0 * lr_mse
    ### END SOLUTION


# %%
# One epoch on the book's data, each way, from w = 0, b = 0, on the same minibatches in the same order.
# The `__main__` guard runs this in the notebook only, never when the functions are imported to be graded.
if __name__ == "__main__":
    features, labels = synthetic_data(torch.tensor([2.0, -3.4]), 4.2, 1000, generator=torch.Generator().manual_seed(0))
    batch_size, lr_mse = 10, 0.03
    batches = [(features[i:i + batch_size], labels[i:i + batch_size]) for i in range(0, len(features), batch_size)]

    def one_epoch(loss, lr: float, scratch: bool = False) -> torch.Tensor:
        """w and b after one epoch from zero: plain SGD on loss (each step lr times the gradient, the step
        torch.optim.SGD takes), or (scratch) D2L's summed 1/2 squared loss with its sgd."""
        net = nn.Linear(2, 1)
        with torch.no_grad():
            net.weight.zero_()
            net.bias.zero_()
        parameters = list(net.parameters())
        for X, y in batches:
            if scratch:
                squared_loss(net(X), y).sum().backward()
                sgd(parameters, lr, batch_size)
            else:
                loss(net(X), y).backward()
                with torch.no_grad():
                    for parameter in parameters:
                        parameter -= lr * parameter.grad
                        parameter.grad = None
        return torch.cat([net.weight.detach().reshape(-1), net.bias.detach()])

    try:
        lr_sum = equivalent_lr(lr_mse, batch_size, "mean", "sum")
        lr_scratch = scratch_lr_matching_mseloss(lr_mse)
    except Exception as error:  # unfinished functions: a one-line note here, the checks below say what to fix
        print(f"No comparison yet ({type(error).__name__}): equivalent_lr and scratch_lr_matching_mseloss must work first.")
    else:
        mean_run = one_epoch(nn.MSELoss(), lr_mse)
        print(f"nn.MSELoss() (mean) at lr {lr_mse:g}: w, b = {[round(v, 4) for v in mean_run.tolist()]}")
        for text, run in ((f"nn.MSELoss(reduction='sum') at lr {lr_sum:g}", one_epoch(nn.MSELoss(reduction="sum"), lr_sum)),
                          (f"D2L's scratch loop at lr {lr_scratch:g}", one_epoch(None, lr_scratch, scratch=True))):
            print(f"{text}: w, b = {[round(v, 4) for v in run.tolist()]}, "
                  f"{(run - mean_run).abs().max().item():.2g} from the mean run")
