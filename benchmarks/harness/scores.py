"""Anomaly scores the detector benchmarks share (the harness's scores module): ROC-AUC,
PR-AUC and VUS-PR of a per-point score against per-point labels."""

import numpy as np


def range_pr_vus(labels, scores, max_buffer_size=500):
    """aeon's ``range_pr_vus_score`` (same label extension, same 250 sampled thresholds,
    same sums), with the confusion counts of all thresholds computed at once instead of in
    a Python loop: about 100x faster, equal to aeon's to rounding
    (tests/test_benchmarks.py checks it)."""
    from aeon.benchmarking.metrics.anomaly_detection._vus_metrics import (
        _extend_anomaly_labels, _uniform_threshold_sampling)

    labels = np.asarray(labels).astype(int)
    scores = np.asarray(scores, dtype=np.float64)
    if np.unique(scores).shape[0] == 1:
        return 0.0
    thresholds = _uniform_threshold_sampling(scores)
    predicted = scores[None, :] >= thresholds[:, None]  # (250, n)
    n_predicted = predicted.sum(axis=1)
    covered = np.concatenate([np.zeros((len(thresholds), 1)),
                              np.cumsum(predicted, axis=1)], axis=1)
    # the extended labels are 0 outside the widest extension: count true positives there
    support = _extend_anomaly_labels(labels, max_buffer_size)[0] > 0
    support |= labels > 0
    inside = predicted[:, support].astype(np.float64)
    pr_aucs = []
    for buffer_size in range(max_buffer_size + 1):
        extended, anomalies = _extend_anomaly_labels(labels, buffer_size)
        positives = np.average([np.sum(labels), np.sum(extended)])
        tp = inside @ extended[support]
        # an anomaly (extended: positive over its whole range) is found when any
        # predicted point falls inside it
        found = (covered[:, anomalies[:, 1] + 1] - covered[:, anomalies[:, 0]]) > 0
        recall = np.minimum(tp / positives, 1) * found.mean(axis=1)
        precision = tp / n_predicted
        recalls = np.concatenate([[0.0], recall, [1.0]])
        precisions = np.concatenate([[1.0], precision])
        pr_aucs.append(np.sum((recalls[1:-1] - recalls[:-2])
                              * (precisions[1:] + precisions[:-1]) / 2))
    return float(np.sum(pr_aucs) / (max_buffer_size + 1))


def metrics(labels, scores):
    from sklearn.metrics import average_precision_score, roc_auc_score
    return {"roc_auc": roc_auc_score(labels, scores),
            "pr_auc": average_precision_score(labels, scores),
            "vus_pr": range_pr_vus(labels, scores)}
