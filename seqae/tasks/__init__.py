"""Tasks built on the autoencoders: classification and regression with scarce labels,
anomaly detection and imputation."""

from .anomaly import AutoencoderAnomalyDetector
from .classifier import SequenceClassifier, SequenceRegressor
from .impute import SequenceImputer

__all__ = ["AutoencoderAnomalyDetector", "SequenceClassifier", "SequenceImputer",
           "SequenceRegressor"]
