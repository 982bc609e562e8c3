"""Tasks built on the autoencoders: classification and regression with scarce labels,
anomaly detection and imputation; clustering by the codes."""

from .anomaly import AutoencoderAnomalyDetector
from .classifier import SequenceClassifier, SequenceRegressor
from .clustering import SequenceNeighbors, make_code_clustering
from .impute import SequenceImputer

__all__ = ["AutoencoderAnomalyDetector", "SequenceClassifier", "SequenceImputer",
           "SequenceNeighbors", "SequenceRegressor", "make_code_clustering"]
