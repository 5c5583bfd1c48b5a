#!/usr/bin/python3
"""Checks `rtfeat serve` answers against Redis, read independently with
redis-cli and typed by the rules of docs/serving.md restated here for the
default catalogue (not by serve's code).

Usage: serve_check.py SERVE_URL REDIS_PORT ENTITY ID...   (ENTITY: users|items|categories)
With SERVE_CHECK_CLUSTER=1, REDIS_PORT is a Redis Cluster node (redis-cli -c follows redirects).
Prints one line per difference; exits 1 if there is any."""
import json
import os
import subprocess
import sys
import urllib.request

url, port, entity, ids = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
cluster = ["-c"] if os.environ.get("SERVE_CHECK_CLUSTER") == "1" else []


def redis(*args):
    out = subprocess.run(["redis-cli", *cluster, "-p", port, "--raw", *args], check=True, capture_output=True, text=True).stdout
    lines = out.split("\n")[:-1]
    return [] if lines == [""] else lines  # redis-cli --raw prints an empty line for nil and empty arrays


def hgetall(key):
    lines = redis("HGETALL", key)
    return dict(zip(lines[0::2], lines[1::2]))


def expected_user(u):
    h = hgetall(f"user:feature:{{{u}}}")
    f = {}
    cats = {k[4:]: int(v) for k, v in h.items() if k.startswith("cat:")}
    if cats: f["user_category_clicks"] = cats
    bands = {k[6:]: int(v) for k, v in h.items() if k.startswith("price:")}
    if bands: f["user_price_band_clicks"] = bands
    seq = [int(x) for x in redis("LRANGE", f"user:seq:{{{u}}}", "0", "-1")]
    if seq: f["user_browsed_categories"] = seq
    gaps = sorted((int(k[len("purchase_gap_"):]), float(v)) for k, v in h.items() if k.startswith("purchase_gap_"))
    if gaps: f["user_purchase_gaps"] = [v for _, v in gaps]
    amount = redis("GET", f"user:stats:{{{u}}}:purchase_amount")
    pa = {}
    if amount and amount[0]: pa["amount"] = float(amount[0])
    if "amount_tier" in h: pa["amount_tier"] = int(h["amount_tier"])
    if pa: f["user_purchase_amount"] = pa
    if "funnel_bucket" in h: f["new_user_funnel"] = int(h["funnel_bucket"])
    z = redis("ZREVRANGE", f"user:session:{{{u}}}", "0", "-1", "WITHSCORES")
    if z: f["user_session_timeline"] = [{"member": m, "ts": int(s)} for m, s in zip(z[0::2], z[1::2])]
    names = ["user_category_clicks", "user_price_band_clicks", "user_browsed_categories", "user_purchase_gaps",
             "user_purchase_amount", "new_user_funnel", "user_session_timeline"]
    return f, names, [h]


def expected_item(i):
    h = hgetall(f"item:feature:{{{i}}}")
    f = {}
    rank = {}
    if "clicks" in h: rank["clicks"] = int(h["clicks"])
    if "click_pct" in h: rank["click_pct"] = float(h["click_pct"])
    if rank: f["item_click_rank"] = rank
    uv = int(redis("PFCOUNT", f"item:uv:{{{i}}}")[0])
    if uv > 0: f["item_unique_visitors"] = uv
    pop = {}
    if "realtime_popularity" in h: pop["realtime_popularity"] = int(h["realtime_popularity"])
    if "trend_score" in h: pop["trend_score"] = float(h["trend_score"])
    if pop: f["item_popularity"] = pop
    return f, ["item_click_rank", "item_unique_visitors", "item_popularity"], [h]


def expected_category(c):
    h = hgetall(f"cat:buckets:{{{c}}}")
    f = {}
    deciles = {k: int(v) for k, v in h.items() if k.startswith("p") and k[1:].isdigit()}
    if deciles: f["item_click_rank"] = deciles
    return f, ["item_click_rank"], [h]


expect = {"users": expected_user, "items": expected_item, "categories": expected_category}[entity]
differences = 0
for id_ in ids:
    with urllib.request.urlopen(f"{url}/v1/{entity}/{id_}/features") as r:
        got = json.load(r)
    features, names, hashes = expect(id_)
    want_absent = [n for n in names if n not in features]
    ts = [int(h["_ts"]) for h in hashes if "_ts" in h]
    want_fresh = max(ts) if ts else None
    got_fresh = got["freshness"]["event_time_ms"] if got["freshness"] else None
    problems = []
    if got["id"] != id_: problems.append(f"id {got['id']}")
    if got["features"] != features: problems.append(f"features {json.dumps(got['features'])} != {json.dumps(features)}")
    if got["absent"] != want_absent: problems.append(f"absent {got['absent']} != {want_absent}")
    if got_fresh != want_fresh: problems.append(f"freshness {got_fresh} != {want_fresh}")
    for p in problems:
        print(f"{entity}/{id_}: {p}")
    differences += len(problems)
print(f"serve_check: {len(ids)} {entity}, {differences} differences", file=sys.stderr)
sys.exit(1 if differences else 0)
