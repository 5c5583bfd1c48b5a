"""The training step of scripts/train: reads `rtfeat export`'s TRAIN.csv, trains
binary:logistic models on some of its input columns and scores the held-out rows."""
import csv
import re

import numpy as np
import xgboost as xgb

from auc import auc

# A feature of the catalogue, as in "user.user_category_clicks[...]": anything but an
# offline column ("item.offline.price") or a request value ("context.hour").
REALTIME_SOURCE = re.compile(r"\b(user|item)\.(?!offline\b)[A-Za-z_]")


def kind_of(source):
    """'real-time', 'offline' or 'context': where a model.toml source gets its value."""
    if REALTIME_SOURCE.search(source):
        return "real-time"
    return "context" if source.startswith("context.") else "offline"


class Table:
    """TRAIN.csv as arrays: ts and label from the label columns, X from the inputs."""

    def __init__(self, path, input_names):
        with open(path, newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            # The inputs are the last columns; a label column may share a name (hour).
            first = len(header) - len(input_names)
            if first < 0 or header[first:] != input_names:
                raise ValueError(f"{path}: the last columns are not the model's inputs {input_names}")
            ts_col, label_col = header.index("ts"), header.index("label")
            ts, labels, rows = [], [], []
            for row in reader:
                ts.append(int(row[ts_col]))
                labels.append(float(row[label_col]))
                rows.append([float(v) if v != "" else np.nan for v in row[first:]])
        self.ts = np.array(ts, dtype=np.int64)
        self.labels = np.array(labels, dtype=np.float32)
        self.X = np.array(rows, dtype=np.float32).reshape(len(rows), len(input_names))


def train(X, y, names, seed, rounds):
    params = {"objective": "binary:logistic", "max_depth": 6, "eta": 0.1, "min_child_weight": 5,
              "tree_method": "hist", "nthread": 1, "seed": seed}
    d = xgb.DMatrix(X, label=y, feature_names=names, missing=np.nan)
    return xgb.train(params, d, num_boost_round=rounds)


def held_out_auc(booster, X, y, names):
    scores = booster.predict(xgb.DMatrix(X, feature_names=names, missing=np.nan))
    return auc(y, scores)
