# %% [markdown]
# # Why the data is reshuffled every epoch
#
# D2L §3.4, exercise 9 (the English edition's linear regression from scratch): "Why do we need to
# reshuffle the dataset? Can you design a case where a maliciously constructed dataset would break
# the optimization algorithm otherwise?" The book's `data_iter` (EN 0.17 and ZH §3.2.2) draws a new
# random order on every call, "the examples are read at random, in no particular order"
# (这些样本是随机读取的，没有特定的顺序), and the training loop calls it once per epoch.
#
# Minibatch SGD follows each minibatch's gradient for one small step. When all minibatches agree
# about where the optimum is (the book's data: one line plus a little noise), their order hardly
# matters. When they disagree, the last steps of every epoch pull the parameters towards the
# minibatches that come last. A random order makes that pull random and small; a stored order that
# groups the disagreeing examples makes it systematic.
#
# You will build such a malicious dataset and watch D2L's loop fail on it without shuffling.
#
# **Predict before you run anything**, and write your answers down. Take 1000 examples with the
# book's features and weights, $y = X w^* + 4.2 + \text{offset}$, where the offset is $+5$ for the
# first 500 examples and $-5$ for the last 500 (and both halves hold the same 500 feature rows), and
# train with D2L's loop (lr 0.03, batch size 10, 3 epochs).
# 1. What is the least-squares fit of the whole dataset, $w$ and $b$?
# 2. Without shuffling (minibatches in the stored order), where does $b$ end? And with more epochs?
# 3. With the order reshuffled every epoch, how close to the least-squares $b$ does it end?
# 4. Does the stored order hurt on the book's own data (no offsets)? Why, or why not?
#
# <details>
# <summary>The answers (open this after you have predicted)</summary>
#
# - The two halves have the same features and offsets $+5$ and $-5$, which cancel: the
#   least-squares fit is $w = [2, -3.4]$, $b = 4.2$.
# - In the stored order the second half comes last in every epoch, and its 50 minibatches all
#   pull $b$ towards $4.2 - 5 = -0.8$. After 3 epochs $b \approx 1.0$, about 3.2 below the
#   least-squares $b$; more epochs change nothing, since every epoch ends the same way (10 epochs:
#   still $b \approx 1.0$).
# - Reshuffled, every minibatch mixes both halves: $b$ ends within about 0.1 to 0.3 of 4.2
#   (it jitters, since the minibatches still disagree; a smaller learning rate jitters less).
# - On the book's data every minibatch has (nearly) the same least-squares fit, so the stored order
#   ends at the same place: ordering only hurts when minibatches disagree about the optimum.
#   Sorting the book's data by $y$ therefore breaks nothing.
#
# Reshuffling every epoch rather than once also matters: with one fixed order every epoch ends
# on the same minibatches, so their pull repeats epoch after epoch instead of averaging out.
#
# </details>
#
# D2L's `linreg`, `squared_loss` and `sgd` are given at the top of the module, with the book's
# true parameters. Implement:
# 1. `train_one(features, labels, shuffle, lr, batch_size, num_epochs, seed, *, trace=None)`: D2L's
#    loop (summed ½ squared loss, `sgd` dividing by `batch_size`) from $w \sim N(0, 0.01^2)$,
#    $b = 0$, drawn from a generator seeded with `seed`. With `shuffle=False` the minibatches come
#    in the stored order (rows 0 to 9, then 10 to 19, ...) every epoch; with `shuffle=True` in a
#    fresh random order every epoch (`torch.randperm(n, generator=...)`), from the same seeded
#    generator, so that the same seed gives the same run. When `trace` is a list, append `b` as a
#    Python float (`b.item()`) after every update (the plot below uses it). Return the trained `(w, b)`.
# 2. `make_adversarial_dataset(num_examples, seed)`: `features` of shape `(n, 2)` and `labels` of
#    shape `(n, 1)`, float32, drawn from a generator seeded with `seed`, whose least-squares fit is
#    within 0.5 of $w = [2, -3.4]$, $b = 4.2$, but on which D2L's loop in the stored order (the
#    defaults of `train_one`) ends with $b$ more than 2 away from the least-squares $b$, while a
#    reshuffled run ends within 0.5 of it. (`torch.linalg.lstsq` computes the least-squares fit:
#    append a column of ones to the features for $b$.)
#
# In the notebook, the cell after your functions trains on your dataset both ways with your
# `train_one` and plots $b$ after every update against the least-squares $b$.

# %%
import torch

true_w, true_b = torch.tensor([2.0, -3.4]), 4.2


# %%
# D2L's helpers (§3.2), given: the model, the loss and the update.
def linreg(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Return the linear model's predictions X w + b."""
    return X @ w + b


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Return the elementwise 1/2 squared loss, shaped like y_hat."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    """Update each parameter in place by lr * grad / batch_size, then zero its gradient."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


# %%
def train_one(features: torch.Tensor, labels: torch.Tensor, shuffle: bool, lr: float = 0.03,
              batch_size: int = 10, num_epochs: int = 3, seed: int = 0, *,
              trace: list[float] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (w, b) trained by D2L's loop from w ~ N(0, 0.01**2), b = 0 (seeded by seed), with minibatches in the stored order when shuffle is False and in a fresh random order every epoch when it is True.

    When trace is a list, b is appended to it (a Python float) after every update.
    """
    ### BEGIN SOLUTION
    generator = torch.Generator().manual_seed(seed)
    w = torch.normal(0, 0.01, size=(features.shape[1], 1), generator=generator, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    num_examples = len(features)
    for _ in range(num_epochs):
        order = torch.randperm(num_examples, generator=generator) if shuffle else torch.arange(num_examples)
        for start in range(0, num_examples, batch_size):
            batch = order[start: start + batch_size]
            squared_loss(linreg(features[batch], w, b), labels[batch]).sum().backward()
            sgd([w, b], lr, batch_size)
            if trace is not None:
                trace.append(b.item())
    return w.detach(), b.detach()
    ### END SOLUTION


# %%
def make_adversarial_dataset(num_examples: int = 1000, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Return features (n, 2) and labels (n, 1) whose least-squares fit is within 0.5 of w = [2, -3.4], b = 4.2, but on which D2L's loop in stored order ends with b more than 2 away from the least-squares b, while reshuffling ends within 0.5 of it.

    The data are drawn from a generator seeded with seed.
    """
    ### BEGIN SOLUTION
    generator = torch.Generator().manual_seed(seed)
    half = (num_examples + 1) // 2
    rows = torch.randn(half, len(true_w), generator=generator)
    features = torch.cat([rows, rows])[:num_examples]  # both halves see the same features...
    offsets = torch.full((num_examples, 1), 5.0)
    offsets[half:] = -5.0  # ...but disagree about b by 10, and the second half always comes last
    noise = 0.01 * torch.randn(num_examples, 1, generator=generator)
    return features, features @ true_w.reshape(-1, 1) + true_b + offsets + noise
    ### END SOLUTION


# %%
# Your dataset, trained both ways with your train_one: b after every update against the least-squares b.
# The `__main__` guard runs this in the notebook only, never when the functions are imported to be graded.
if __name__ == "__main__":
    from IPython.display import display
    from matplotlib.figure import Figure
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("png")  # a Figure made without pyplot is otherwise shown as text

    try:
        features, labels = make_adversarial_dataset()
        ones = torch.ones(len(features), 1)
        least_squares_b = float(torch.linalg.lstsq(torch.cat([features, ones], 1), labels).solution[-1])
        traces = {"stored order": [], "reshuffled every epoch": []}
        for shuffle, name in ((False, "stored order"), (True, "reshuffled every epoch")):
            train_one(features, labels, shuffle=shuffle, trace=traces[name])
        if not all(traces.values()):
            raise ValueError("train_one left trace empty")
    except Exception as error:  # unfinished functions: a one-line note here, the checks below say what to fix
        print(f"No plot yet ({type(error).__name__}): make_adversarial_dataset and train_one (with trace) must work first.")
    else:
        figure = Figure(figsize=(8, 4))
        ax = figure.add_subplot()
        for name, values in traces.items():
            ax.plot(range(1, len(values) + 1), values, label=name)
        ax.axhline(least_squares_b, color="black", linestyle="--", label=f"least-squares b = {least_squares_b:.2f}")
        ax.set_xlabel("update (minibatch step)")
        ax.set_ylabel("b")
        ax.set_title("D2L's loop on make_adversarial_dataset()")
        ax.margins(y=0.3)  # room above the curves for the legend
        ax.legend(loc="upper center", ncols=3)
        display(figure)
