"""The main job: train RAE, RAES and RAESC briefly on sum-of-sines sequences and compare.

Run ``python -m seqae.demo`` (or ``make demo``). It prints one row per model (final
validation MSE, median epoch seconds, code size and the decoder's input layout) and writes a
PNG of the validation loss per epoch when matplotlib is installed. Defaults finish in well
under 3 minutes on 2 CPU cores.
"""

import argparse
import os
import time

import numpy as np
import torch

from . import RAESCTransformer, RAESTransformer, RAETransformer
from .datasets import make_sine_sequences

MODELS = {
    "RAE": RAETransformer,
    "RAES": RAESTransformer,
    "RAESC": RAESCTransformer,
}


def run(n_samples=1000, n_timesteps=50, n_features=1, sigma=1.0, max_epochs=60,
        max_frequency=4.0, random_state=0, device="auto", verbose=0):
    """Train the three models on the same data; return ``{name: fitted estimator}``."""
    X = make_sine_sequences(n_samples, n_timesteps, n_features,
                            frequency_range=(1.0, max_frequency), random_state=random_state)
    fitted = {}
    for name, estimator in MODELS.items():
        # the paper's models and setting (paper()), not the data-adaptive defaults
        model = estimator.paper(sigma=sigma, max_epochs=max_epochs, validation_fraction=0.2,
                                random_state=random_state, device=device, verbose=verbose)
        if verbose != 0:
            print(f"training {name} ({type(model).__name__}, {max_epochs} epochs) ...",
                  flush=True)
        fitted[name] = model.fit(X)
    return fitted


def summary_table(fitted, baseline="RAE"):
    """Markdown table per model: final validation MSE, median epoch time, code size, decoder
    input layout, and the first epoch whose validation MSE reached the baseline's final one
    (the paper's "order of magnitude fewer epochs" claim)."""
    target = fitted[baseline].net_.history[-1, "valid_loss"]
    rows = [
        "| model | final valid MSE | median epoch [s] | code size n_C "
        f"| decoder input (steps, features) | epochs to reach {baseline}'s final |",
        "|---|---|---|---|---|---|",
    ]
    for name, model in fitted.items():
        history = model.net_.history
        valid = np.asarray(history[:, "valid_loss"])
        reached = np.flatnonzero(valid <= target)
        epochs = str(reached[0] + 1) if len(reached) else "not reached"
        rows.append(
            f"| {name} | {valid[-1]:.5f} | {np.median(history[:, 'dur']):.3f} "
            f"| {model.n_components_} | {model.decoder_input_shape_} | {epochs} |"
        )
    return "\n".join(rows)


def plot_validation_loss(fitted, path):
    """Write validation loss per epoch of every model to ``path``; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, model in fitted.items():
        history = model.net_.history
        ax.plot(history[:, "epoch"], history[:, "valid_loss"], label=name)
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation MSE")
    ax.set_yscale("log")
    ax.set_title("Sum-of-sines reconstruction (validation)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m seqae.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-samples", type=int, default=1000)
    parser.add_argument("--n-timesteps", type=int, default=50)
    parser.add_argument("--n-features", type=int, default=1)
    parser.add_argument("--sigma", type=float, default=1.0,
                        help="context-size ratio sigma = n_C / (m_X n_X) (Eq. 3)")
    parser.add_argument("--max-epochs", type=int, default=60)
    parser.add_argument("--max-frequency", type=float, default=4.0,
                        help="highest sine frequency, in cycles per sequence")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch CPU threads (default 1: these small recurrent nets run "
                             "as fast on one thread, and several threads slow down badly "
                             "when another process holds a core)")
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--output", default="demo-output",
                        help="folder for the loss plot (created if missing)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)  # this program owns its process

    print(f"seqae demo: {args.n_samples} sum-of-sines sequences x {args.n_timesteps} steps x "
          f"{args.n_features} features, sigma={args.sigma}, {args.max_epochs} epochs, "
          "80:20 split, Adam (lr 1e-3), batch 100, MSE")
    start = time.perf_counter()
    fitted = run(args.n_samples, args.n_timesteps, args.n_features, args.sigma,
                 args.max_epochs, args.max_frequency, args.random_state, args.device,
                 verbose="auto")
    print(summary_table(fitted))
    print(f"trained on {next(iter(fitted.values())).device_} in "
          f"{time.perf_counter() - start:.1f} s")
    os.makedirs(args.output, exist_ok=True)
    path = os.path.join(args.output, "validation_loss.png")
    if plot_validation_loss(fitted, path):
        print(f"wrote {path}")
    else:
        print("matplotlib is not installed: no plot written (install seqae's 'plot' "
              "extra: pip install '.[plot]' in a checkout)")


if __name__ == "__main__":
    main()
