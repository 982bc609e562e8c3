import json,glob,numpy as np,sys
from collections import defaultdict
rows=[]
for f in sorted(glob.glob(sys.argv[1]+'/*.log')):
    rows+=[json.loads(l) for l in open(f) if l.startswith('{')]
d=defaultdict(list)
for r in rows: d[(r['fraction'],r['dataset'])].append(r)
D='SequenceClassifier'; S='SequenceClassifier[svm]'; T='SequenceClassifier[tuned]'
blind=[];allc=[]
for k in sorted(d):
    rs=d[k]; b=all(r[D+'_validation'] is None for r in rs)
    m={x:np.mean([r[x] for r in rs]) for x in (D,S,T,'codes+SVC')}
    print(k,'blind' if b else 'valid',{x:round(v,3) for x,v in m.items()}, len(rs))
    allc.append((k[0],m[D],m[S]))
    if b: blind.append((m[D],m[T]))
b=np.array(blind); print('R1 blind cells',len(b),'default',b[:,0].mean().round(4),'tuned',b[:,1].mean().round(4))
a=np.array([(x[1],x[2]) for x in allc]); print('R2 all cells',len(a),'rbf',a[:,0].mean().round(4),'svm',a[:,1].mean().round(4))
for fr in sorted({x[0] for x in allc}):
    c=np.array([(x[1],x[2]) for x in allc if x[0]==fr]); print(' fraction',fr,'rbf',c[:,0].mean().round(4),'svm',c[:,1].mean().round(4),'diff',(c[:,1].mean()-c[:,0].mean()).round(4))
