"""The training engine: what every seqae estimator shares below its own task.

One parameter table (:mod:`.params`), input checks (:mod:`.validation`), the skorch net and
its callbacks (:mod:`.net`, :mod:`.callbacks`, :mod:`.training`), batches, budgets, scale
checks and streaming. It imports only :mod:`seqae.modules` (pure torch) and third-party
libraries; the autoencoders, the tasks and io sit above it.
"""
