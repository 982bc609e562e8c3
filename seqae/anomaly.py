"""Anomaly detection with a sequence autoencoder.

The public import path; the code lives in :mod:`seqae.tasks.anomaly`.
"""

from .tasks.anomaly import (
    AutoencoderAnomalyDetector,
    SlidingWindows,
    default_autoencoder,
    dominant_period,
    member_seeds,
    robust_location_scale,
    training_window_indices,
)

__all__ = [
    "AutoencoderAnomalyDetector",
    "SlidingWindows",
    "default_autoencoder",
    "dominant_period",
    "member_seeds",
    "robust_location_scale",
    "training_window_indices",
]
