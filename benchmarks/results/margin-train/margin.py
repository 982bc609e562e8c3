"""Simulate keep_frozen's margin k from a --fine-tuning-gain 1 run: a run's outcome is the
fine-tuned accuracy where its logged gain >= k, else codes+SVC's."""
import json, glob, sys
import numpy as np
rows = []
for f in sorted(glob.glob(sys.argv[1] + '/*.log')):
    rows += [json.loads(l) for l in open(f) if l.startswith('{')]
def gain(r):
    v = r['SequenceClassifier_validation']
    if v is None: return None
    n = r.get('n_valid') or None
    return v['fine-tuned'] - v['frozen']
def n_valid(r):
    # the classifier's split: ceil(0.2 * labelled)
    return int(np.ceil(0.2 * r['n_labelled']))
out = {}
for k in (1, 2, 3, 4, 10**9):
    acc = []
    for r in rows:
        v = r['SequenceClassifier_validation']
        if v is None:
            acc.append(r['SequenceClassifier']); continue
        g = round((v['fine-tuned'] - v['frozen']) * n_valid(r))
        tuned_kept = r['SequenceClassifier_fine_tuned']
        if tuned_kept and g >= k:
            acc.append(r['SequenceClassifier'])
        else:
            acc.append(r['codes+SVC'] if tuned_kept else r['SequenceClassifier'])
    out[k] = float(np.mean(acc))
    print('k', 'never' if k > 100 else k, 'mean', round(out[k], 4), 'runs', len(acc))
kept = [r for r in rows if r['SequenceClassifier_fine_tuned'] and r['SequenceClassifier_validation']]
print('accepted at k=1:', len(kept), 'of', len(rows))
for r in kept:
    v = r['SequenceClassifier_validation']
    print(' ', r['dataset'], r['fraction'], r['seed'], 'gain', round((v['fine-tuned'] - v['frozen']) * n_valid(r)), 'n_valid', n_valid(r), 'tuned', r['SequenceClassifier'], 'codes+SVC', r['codes+SVC'])
