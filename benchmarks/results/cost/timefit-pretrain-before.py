import sys, time, json, torch, numpy as np
torch.set_num_threads(1)
from seqae import RAESCTransformer
from seqae.datasets import make_sine_sequences
X = make_sine_sequences(500, 500, 1, random_state=0)
params = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
t = time.process_time(); w = time.perf_counter()
ae = RAESCTransformer(random_state=0, verbose=0, **params).fit(X)
print(params, "cpu", round(time.process_time()-t,1), "wall", round(time.perf_counter()-w,1),
      ae.max_epochs_, ae.batch_size_, ae.patch_size_, len(ae.net_.history), flush=True)
