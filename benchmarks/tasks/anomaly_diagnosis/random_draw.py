import sys, time, numpy as np, pandas as pd
from sklearn.metrics import roc_auc_score, average_precision_score
from aeon.benchmarking.metrics.anomaly_detection import range_pr_vus_score
from sklearn.neighbors import NearestNeighbors
from seqae.anomaly import default_autoencoder, SlidingWindows
p='/work/main/.venv/lib/python3.11/site-packages/aeon/datasets/data/UnitTest/'
tr=pd.read_csv(p+'ecg-diff-count-3_TRAIN_NA.csv')['value-0'].values
te=pd.read_csv(p+'ecg-diff-count-3_TEST.csv'); y=te.is_anomaly.values; x=te['value-0'].values
mu,sd=tr.mean(),tr.std(); tr=(tr-mu)/sd; x=(x-mu)/sd
def m(s): return f"ROC {roc_auc_score(y,s):.3f} PR {average_precision_score(y,s):.3f} VUS {range_pr_vus_score(y,s):.3f}"
w=int(sys.argv[1]); sw=SlidingWindows(w).fit(tr); Wt=sw.transform(tr); W=sw.transform(x)
idx=np.sort(np.random.default_rng(0).choice(len(Wt),1000,replace=False))
t=time.time(); est=default_autoencoder(w,1000,0).fit(Wt[idx]); print('fit',time.time()-t)
trerr=-est.score_samples(Wt); print('train mse median', np.median(trerr))
ew=-est.score_samples(W); print('recon mean', m(sw.to_points(ew,len(x))))
c=est.transform(W); ct=est.transform(Wt)
for k in (1,5):
    d=NearestNeighbors(n_neighbors=k).fit(ct).kneighbors(c)[0].mean(1); print('code nn',k, m(sw.to_points(d,len(x))))
