"""What the documented clustering step cuts off on ECGFiveDays (issue 23, section 17): a
diagnosis of a reported set's failure, no choice made from it.

Default ``RAESCTransformer(random_state=0)`` fitted on the merged, z-normalised splits (as
``clustering.py``); its codes L2-normalised; 10-NN spectral clustering (the documented
step) against k-means on the same codes; then the smaller spectral cluster: its classes,
the mean L2 distance inside it, inside the rest and between the two, and where the series'
highest and lowest values lie (steps).

    OMP_NUM_THREADS=1 python diagnose.py
"""
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "benchmarks" / "features")]
import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import normalized_mutual_info_score as nmi  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402

from clustering import _spectral, load  # noqa: E402
from seqae import RAESCTransformer  # noqa: E402

torch.set_num_threads(1)
warnings.simplefilter("ignore")
X, y = load("ECGFiveDays")
codes = normalize(RAESCTransformer(random_state=0).fit_transform(X))
spectral = _spectral(codes, 2, 0)
kmeans = KMeans(2, n_init=10, random_state=0).fit_predict(codes)
print("sizes: spectral", np.bincount(spectral).tolist(), "k-means", np.bincount(kmeans).tolist())
print(f"NMI: spectral {nmi(y, spectral):.3f}, k-means {nmi(y, kmeans):.3f}")
small = spectral == np.argmin(np.bincount(spectral))
print("classes in the smaller cluster:", dict(zip(*np.unique(y[small], return_counts=True))))
d = np.linalg.norm(codes[:, None] - codes[None], axis=-1)
print(f"mean L2 distance: inside {d[np.ix_(small, small)].mean():.2f}, rest "
      f"{d[np.ix_(~small, ~small)].mean():.2f}, between {d[np.ix_(small, ~small)].mean():.2f}")
series = np.asarray(X)[..., 0]
for name, where in (("highest", series.argmax(1)), ("lowest", series.argmin(1))):
    print(f"step of the {name} value (10/50/90th percentiles): smaller cluster",
          np.percentile(where[small], [10, 50, 90]).tolist(), "rest",
          np.percentile(where[~small], [10, 50, 90]).tolist())
