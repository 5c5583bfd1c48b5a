#!/usr/bin/python3
"""Trains the demo ranking model of test/data/model on `rtfeat gen` traffic.

Usage: /usr/bin/python3 test/data/model/train_model.py [--rtfeat build/rtfeat] [--seed 7]
Needs Debian's python3-xgboost and python3-numpy (not a pyenv python).

Steps, all deterministic for a seed:
 1. `rtfeat gen` events; the first half of event time is "history", the second the
    training period.
 2. Offline tables from the history, as a warehouse would hold them: items.csv
    (category, price, smoothed click-through rate, a quoted title) and users.csv
    (orders, segment, home region).
 3. Training rows: every view of the training period is an impression; its label is 1
    when the same user clicks, carts or purchases the same item within 10 minutes.
    The real-time inputs are recomputed from the events the way the engine defines
    them (docs/semantics.md), approximately (no watermark, no lateness): the model
    is a demo, not a benchmark.
 4. A 20-tree, depth-4 binary:logistic model -> model.json, with model.toml's input
    names as its feature names (serve checks them).
 5. expected_scores.csv: fixed vectors and python-xgboost's own scores for them; the
    C++ wrapper must reproduce them (test/serve/xgboost_model_test.cpp). And
    multiclass.json, a 3-class model of the same inputs that serve must refuse.
The input order and the defaults come from model.toml: edit it, then re-run this.
"""
import argparse
import bisect
import collections
import csv
import math
import os
import subprocess
import sys
import tempfile
import tomllib

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts", "lib", "train"))

import offline_tables as shared_tables  # noqa: E402  the same tables scripts/train builds

MIN = 60_000
WEIGHTS = {"view": 1, "click": 2, "fav": 3, "cart": 4, "purchase": 5}
LABEL_BEHAVIORS = {"click", "cart", "purchase"}
GEN_START_TS = 1767225600000  # `rtfeat gen`'s default --start-ts
PRICE_EDGES = [0, 50, 100, 200, 500, 1000, math.inf]


def generate(rtfeat, seed, path):
    subprocess.run([rtfeat, "gen", "--events", "200000", "--seed", str(seed), "--users", "500",
                    "--items", "300", "--categories", "12", "--rate", "20", "--out", path],
                   check=True, stderr=subprocess.DEVNULL)
    events = [e for e in shared_tables.json_lines(path)
              if shared_tables.is_item_event(e, GEN_START_TS, shared_tables.DAY_MS)]
    events.sort(key=lambda e: e["ts"])
    return events


def offline_tables(history):
    """items.csv and users.csv rows by id: scripts/train's tables plus a quoted title per item."""
    user_list, item_list = shared_tables.build(history)
    item_rows = {r["item_id"]: dict(r, title=f"Item {r['item_id'][1:]}, category {r['category_id']} \"demo\"")
                 for r in item_list}
    return item_rows, {r["user_id"]: r for r in user_list}


def write_csv(path, rows):
    rows = list(rows)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)


class Timeline:
    """Timestamps (and weights) of events of one key, in time order, for window sums."""

    def __init__(self):
        self.ts, self.cum = [], [0]

    def add(self, ts, weight=1):
        self.ts.append(ts)
        self.cum.append(self.cum[-1] + weight)

    def total(self, begin, end):  # events with begin <= ts < end
        return self.cum[bisect.bisect_left(self.ts, end)] - self.cum[bisect.bisect_left(self.ts, begin)]


def band_of(price):
    for lo, hi in zip(PRICE_EDGES, PRICE_EDGES[1:]):
        if lo <= price < hi:
            return f"{lo}-{hi}"
    return None


def realtime_values(events, items_of_category, split_ts):
    """The real-time values seen by each view from split_ts on, with the view's index in `events`."""
    user_cat, user_band, user_views, item_weight, item_clicks = (collections.defaultdict(Timeline) for _ in range(5))
    for e in events:
        u, i, b, t = e["user_id"], e["item_id"], e["behavior"], e["ts"]
        if b == "click":
            user_cat[(u, e["category_id"])].add(t)
            item_clicks[i].add(t)
            if isinstance(e.get("price"), (int, float)):
                user_band[(u, band_of(e["price"]))].add(t)
        if b == "view":
            user_views[u].add(t)
        item_weight[i].add(t, WEIGHTS[b])
    for n, e in enumerate(events):
        if e["behavior"] != "view" or e["ts"] < split_ts:
            continue
        u, i, t = e["user_id"], e["item_id"], e["ts"]
        cur = item_weight[i].total(t - 5 * MIN, t)
        prev = item_weight[i].total(t - 35 * MIN, t - 5 * MIN)
        clicks = {j: item_clicks[j].total(t - 30 * MIN, t) for j in items_of_category[e["category_id"]]}
        ranked = [c for c in clicks.values() if c > 0]
        mine = clicks[i]
        pct = 100 * (sum(c < mine for c in ranked) + 0.5 * sum(c == mine for c in ranked)) / len(ranked) \
            if mine > 0 else None
        yield n, {
            "user_cat": lambda cat, u=u, t=t: user_cat[(u, cat)].total(t - 30 * MIN, t) or None,
            "user_band_0_50": user_band[(u, "0-50")].total(t - 30 * MIN, t) or None,
            "browsed": min(20, user_views[u].total(t - 10 * MIN, t)) or None,
            "popularity": cur if cur + prev > 0 else None,
            "trend": 6 * (cur + 1) / (prev + 6) if cur + prev > 0 else None,
            "click_pct": pct,
        }


def source_values(e, rt, item_rows, user_rows):
    """The value of each model.toml source this script knows for a training row, None when absent."""
    item, user = item_rows.get(e["item_id"]), user_rows.get(e["user_id"])
    offline = lambda row, col: float(row[col]) if row and row.get(col) not in (None, "") else None
    return {
        "user.user_category_clicks[item.offline.category_id]":
            (rt["user_cat"](int(item["category_id"])) if item else None),
        'user.user_price_band_clicks["0-50"]': rt["user_band_0_50"],
        "len(user.user_browsed_categories)": rt["browsed"],
        "item.item_popularity": rt["popularity"],
        "item.item_popularity.trend_score": rt["trend"],
        "item.item_click_rank.click_pct": rt["click_pct"],
        "item.offline.price": offline(item, "price"),
        "item.offline.hist_ctr": offline(item, "hist_ctr"),
        "user.offline.lifetime_orders": offline(user, "lifetime_orders"),
        "context.hour": (e["ts"] // 3_600_000) % 24,
    }


def training_rows(events, split_ts, inputs, item_rows, user_rows):
    items_of_category = collections.defaultdict(set)
    for e in events:
        items_of_category[e["category_id"]].add(e["item_id"])
    later = collections.defaultdict(list)  # (user, item) -> ts of label behaviours
    for e in events:
        if e["behavior"] in LABEL_BEHAVIORS:
            later[(e["user_id"], e["item_id"])].append(e["ts"])
    X, y = [], []
    for n, rt in realtime_values(events, items_of_category, split_ts):
        e = events[n]
        values = source_values(e, rt, item_rows, user_rows)
        row = [inp["default"] if values[inp["source"]] is None else values[inp["source"]] for inp in inputs]
        ts = later[(e["user_id"], e["item_id"])]
        j = bisect.bisect_right(ts, e["ts"])
        X.append(row)
        y.append(1 if j < len(ts) and ts[j] <= e["ts"] + 10 * MIN else 0)
    return np.array(X, dtype=np.float32), np.array(y, dtype=np.float32)


def expected_scores(booster, X, names, path, seed):
    """Fixed vectors (training rows, and the same rows with inputs missing) and their scores."""
    rng = np.random.default_rng(seed)
    rows = X[rng.choice(len(X), 150, replace=False)].copy()
    holes = rows[:50].copy()
    holes[rng.random(holes.shape) < 0.3] = np.nan
    vectors = np.vstack([rows, holes])
    scores = booster.inplace_predict(vectors, missing=np.nan)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names + ["score"])
        for v, s in zip(vectors, scores):
            w.writerow([repr(float(x)) for x in v] + [repr(float(s))])


def multiclass_fixture(X, names, path, seed):
    """A 3-class model with the same inputs: one that gives several scores per row."""
    d = xgb.DMatrix(X[:300], label=(np.arange(300) % 3).astype(np.float32), feature_names=names, missing=np.nan)
    params = {"objective": "multi:softprob", "num_class": 3, "max_depth": 1, "nthread": 1, "seed": seed}
    xgb.train(params, d, num_boost_round=1).save_model(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rtfeat", default=os.path.join(ROOT, "build", "rtfeat"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    with open(os.path.join(HERE, "model.toml"), "rb") as f:
        inputs = [{"name": i["name"], "source": i["source"], "default": float(i["default"])}
                  for i in tomllib.load(f)["input"]]
    with tempfile.TemporaryDirectory() as tmp:
        events = generate(args.rtfeat, args.seed, os.path.join(tmp, "events.jsonl"))
    split_ts = (events[0]["ts"] + events[-1]["ts"]) // 2
    item_rows, user_rows = offline_tables([e for e in events if e["ts"] < split_ts])
    write_csv(os.path.join(HERE, "items.csv"), item_rows.values())
    write_csv(os.path.join(HERE, "users.csv"), user_rows.values())
    X, y = training_rows(events, split_ts, inputs, item_rows, user_rows)
    names = [i["name"] for i in inputs]
    params = {"objective": "binary:logistic", "max_depth": 4, "eta": 0.3, "tree_method": "exact",
              "nthread": 1, "seed": args.seed, "eval_metric": "auc"}
    split = len(X) * 4 // 5
    dtrain = xgb.DMatrix(X[:split], label=y[:split], feature_names=names, missing=np.nan)
    dvalid = xgb.DMatrix(X[split:], label=y[split:], feature_names=names, missing=np.nan)
    result = {}
    booster = xgb.train(params, dtrain, num_boost_round=20, evals=[(dvalid, "valid")], evals_result=result,
                        verbose_eval=False)
    booster.save_model(os.path.join(HERE, "model.json"))
    expected_scores(booster, X, names, os.path.join(HERE, "expected_scores.csv"), args.seed)
    multiclass_fixture(X, names, os.path.join(HERE, "multiclass.json"), args.seed)
    print(f"{len(events)} events, {len(X)} impressions ({y.mean():.1%} positive), "
          f"{len(item_rows)} items, {len(user_rows)} users, validation AUC {result['valid']['auc'][-1]:.3f}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
