#!/usr/bin/python3
"""Checks POST /v1/predict of `rtfeat serve` (test/data/model): every score equals
python3-xgboost's prediction for the same input vector (|diff| <= 1e-6), and the
vectors hold what Redis and the CSV tables hold, read here independently.

Usage: predict_check.py SERVE_URL REDIS_PORT MODEL_DIR USERS_FILE ITEMS_FILE"""
import csv
import json
import math
import subprocess
import sys
import urllib.request

import numpy as np
import xgboost as xgb

url, port, model_dir, users_file, items_file = sys.argv[1:6]
users = open(users_file).read().split()
items = open(items_file).read().split()
booster = xgb.Booster()
booster.load_model(f"{model_dir}/model.json")
item_rows = {r["item_id"]: r for r in csv.DictReader(open(f"{model_dir}/items.csv"))}


def redis(*args):
    out = subprocess.run(["redis-cli", "-p", port, "--raw", *args], check=True, capture_output=True, text=True).stdout
    return out.rstrip("\n")


def number(text, default):
    return float(text) if text not in ("", None) else default


problems = scored = 0
worst = 0.0
for n, u in enumerate(users):
    candidates = items[n % 7::7][:100]
    body = json.dumps({"user_id": u, "item_ids": candidates, "context": {"hour": n % 24}, "return_inputs": True})
    req = urllib.request.Request(f"{url}/v1/predict", body.encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        got = json.load(r)
    if got["model"] != "demo-ctr-1" or sorted(s["item_id"] for s in got["scores"]) != sorted(candidates):
        print(f"user {u}: wrong model or candidates: {got['model']}", file=sys.stderr)
        problems += 1
    rows = np.array([[math.nan if v is None else v for v in s["inputs"]] for s in got["scores"]], dtype=np.float32)
    want = booster.predict(xgb.DMatrix(rows, missing=math.nan, feature_names=booster.feature_names))
    scores = [s["score"] for s in got["scores"]]
    if scores != sorted(scores, reverse=True):
        print(f"user {u}: scores not sorted", file=sys.stderr)
        problems += 1
    for s, w in zip(got["scores"], want):
        worst = max(worst, abs(s["score"] - float(w)))
        if abs(s["score"] - float(w)) > 1e-6:
            print(f"user {u} item {s['item_id']}: serve {s['score']} xgboost {w}", file=sys.stderr)
            problems += 1
        scored += 1
    # A few inputs, independently: the item's popularity, its offline price, the user's clicks in its
    # category (category from items.csv), the context hour.
    for s in got["scores"][:10]:
        i, x = s["item_id"], s["inputs"]
        row = item_rows.get(i)
        pop = number(redis("HGET", f"item:feature:{{{i}}}", "realtime_popularity"), 0.0)
        price = float(row["price"]) if row and row["price"] else None
        clicks = number(redis("HGET", f"user:feature:{{{u}}}", f"cat:{row['category_id']}"), 0.0) if row else 0.0
        expect = {3: pop, 6: price, 0: clicks, 9: float(n % 24)}
        for k, v in expect.items():
            if (v is None) != (x[k] is None) or (v is not None and abs(x[k] - v) > 1e-3 * max(1, abs(v))):
                print(f"user {u} item {i}: input {k} = {x[k]}, Redis/CSV say {v}", file=sys.stderr)
                problems += 1
print(f"predict_check: {scored} scores for {len(users)} users, max |serve - xgboost| {worst:.2e}, {problems} problems",
      file=sys.stderr)
sys.exit(1 if problems else 0)
