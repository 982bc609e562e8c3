import sys, time, numpy as np, pandas as pd
from sklearn.metrics import roc_auc_score, average_precision_score
from aeon.benchmarking.metrics.anomaly_detection import range_pr_vus_score
from sklearn.neighbors import NearestNeighbors
from seqae.anomaly import AutoencoderAnomalyDetector
p='/work/main/.venv/lib/python3.11/site-packages/aeon/datasets/data/UnitTest/'
tr=pd.read_csv(p+'ecg-diff-count-3_TRAIN_NA.csv')['value-0'].values
te=pd.read_csv(p+'ecg-diff-count-3_TEST.csv'); y=te.is_anomaly.values; x=te['value-0'].values
def m(s): return f"ROC {roc_auc_score(y,s):.3f} PR {average_precision_score(y,s):.3f} VUS {range_pr_vus_score(y,s):.3f}"
for w in [int(a) for a in sys.argv[1:]]:
    t=time.time()
    d=AutoencoderAnomalyDetector(window_size=w, random_state=0).fit(tr)
    ft=time.time()-t
    s=d.predict(x); print(w, 'default mean-err', m(s), f"fit {ft:.0f}s", flush=True)
    W=d._normalized_windows(x, d.windows_); Wt=d._normalized_windows(tr, d.windows_)
    est=d.estimator_
    rec=est.inverse_transform(est.transform(W)); err=(rec-W)**2
    print(w,'per-step err', m(d.windows_.to_points(err, len(x))))
    ew=err.mean(1); print(w,'max-agg', m(pd.Series(ew).reindex(range(len(x))).ffill().rolling(w,min_periods=1).max().values))
    c=est.transform(W); ct=est.transform(Wt[::2])
    nn=NearestNeighbors(n_neighbors=1).fit(ct); dist=nn.kneighbors(c)[0][:,0]
    print(w,'code-1nn', m(d.windows_.to_points(dist,len(x))))
    nn=NearestNeighbors(n_neighbors=1).fit(Wt[::2]); dist=nn.kneighbors(W)[0][:,0]
    print(w,'raw-1nn (no AE)', m(d.windows_.to_points(dist,len(x))))
    trerr=((est.inverse_transform(est.transform(Wt))-Wt)**2).mean(1)
    med=np.median(trerr); mad=np.median(abs(trerr-med))
    print(w,'two-sided err', m(d.windows_.to_points(abs(ew-med)/mad,len(x))), 'train err med', med, 'test normal/anom mean err', ew.mean())
