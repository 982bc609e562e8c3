import numpy as np, time
from sklearn.metrics import roc_auc_score
from seqae.anomaly import AutoencoderAnomalyDetector, default_autoencoder
rng = np.random.default_rng(0)
t = np.arange(2400)
beat = np.exp(-0.5 * ((t % 20) - 10) ** 2) * 4 - 0.5
x = beat + 0.05 * rng.normal(size=len(t))
train, test = x[:1200], x[1200:].copy()
test[600:700] *= 0.5
labels = np.zeros(len(test), dtype=bool); labels[600:700] = True
for ep, mfw in [(40,60),(100,60),(30,200)]:
    t0=time.time()
    d = AutoencoderAnomalyDetector(default_autoencoder(20, mfw, 0).set_params(max_epochs=ep), window_size=20, max_fit_windows=mfw, random_state=0)
    s = d.fit(train).predict(test)
    print(ep, mfw, 'auc', roc_auc_score(labels, s), 'train mse', -d.estimator_.score_samples(d._normalized_windows(train.reshape(-1,1), d.windows_)).mean(), s[labels].mean(), np.percentile(s[~labels],90), time.time()-t0)
