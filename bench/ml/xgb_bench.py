# Reference timing for bench/ml/run.ts: XGBoost `hist` on the same binary data and split.
# Needs Debian's python3-xgboost and python3-sklearn (benchmark only, never at run time).
# Usage: python3 xgb_bench.py PREFIX ROWS FEATURES TRAIN_ROWS TREES DEPTH THREADS  -> one JSON line
import json
import resource
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


prefix = sys.argv[1]
rows, features, train_rows, trees, depth, threads = (int(v) for v in sys.argv[2:8])
x = np.fromfile(prefix + ".x.f32", dtype=np.float32).reshape(rows, features)
y = np.fromfile(prefix + ".y.f32", dtype=np.float32)

wall0, cpu0 = time.time(), cpu()
train = xgb.DMatrix(x[:train_rows], label=y[:train_rows], nthread=threads)
wall_dm = time.time() - wall0
booster = xgb.train(
    {
        "tree_method": "hist",
        "objective": "binary:logistic",
        "max_depth": depth,
        "eta": 0.1,
        "lambda": 1.0,
        "min_child_weight": 1.0,
        "max_bin": 256,
        "nthread": threads,
        "seed": 42,
    },
    train,
    num_boost_round=trees,
)
wall_train, cpu_train = time.time() - wall0, cpu() - cpu0

test = xgb.DMatrix(x[train_rows:], nthread=threads)
p = booster.predict(test)
auc = roc_auc_score(y[train_rows:], p)

everything = xgb.DMatrix(x, nthread=threads)
wall1, cpu1 = time.time(), cpu()
booster.predict(everything)
wall_score, cpu_score = time.time() - wall1, cpu() - cpu1

print(
    json.dumps(
        {
            "version": xgb.__version__,
            "dmatrixSeconds": wall_dm,
            "trainSeconds": wall_train,
            "trainCpuSeconds": cpu_train,
            "auc": float(auc),
            "scoreSeconds": wall_score,
            "scoreCpuSeconds": cpu_score,
        }
    )
)
