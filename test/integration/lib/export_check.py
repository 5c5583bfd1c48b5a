#!/usr/bin/python3
"""The two halves of test/integration/export_no_skew_test.sh.

labels EVENTS LABELS_CSV: 3 moments (at 35 %, 70 % and past the end of the log's
  event time), 120 (user, item) pairs each, drawn (seeded) among the users and items
  of the log's first 10 000 lines; columns user_id,item_id,ts,label,hour.
compare TRAIN_CSV LOG_LINES SERVE_URL: for the rows of train.csv that saw LOG_LINES
  lines, POST /v1/predict with return_inputs and require every input to equal
  export's (both are floats in their shortest text; an empty cell is null).
distinct UV_CSV LOG_LINES SERVE_URL: the same for an export whose one input is
  item_unique_visitors (a HyperLogLog), against GET /v1/items/ID/features' PFCOUNT."""
import csv
import json
import random
import re
import sys
import urllib.request


def make_labels(events_path, out_path):
    users, items, ts = set(), set(), []
    with open(events_path) as f:
        for n, line in enumerate(f):
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if not isinstance(e, dict) or type(e.get("ts")) is not int:
                continue
            ts.append(e["ts"])  # hostile lines hold absurd times: the percentiles below skip them
            # The generator's malformed lines hold odd ids; sample well-formed ones.
            if n < 10000 and re.fullmatch(r"u[0-9]+", str(e.get("user_id"))) \
                    and re.fullmatch(r"i[0-9]+", str(e.get("item_id"))):
                users.add(e["user_id"])
                items.add(e["item_id"])
    ts.sort()
    lo, hi = ts[len(ts) // 100], ts[len(ts) * 99 // 100]
    moments = [lo + (hi - lo) * 35 // 100, lo + (hi - lo) * 70 // 100, hi + 3_600_000]
    rng = random.Random(5)
    users, items = sorted(users), sorted(items)
    with open(out_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user_id", "item_id", "ts", "label", "hour"])
        for k, t in enumerate(moments):
            for n in range(120):
                w.writerow([rng.choice(users), rng.choice(items), t, n % 2, (k * 7 + n) % 24])


def compare(train_path, log_lines, url):
    with open(train_path) as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [r for r in reader if r[header.index("_log_lines")] == log_lines]
    inputs = header[header.index("_log_lines") + 1:]
    problems = compared = present = 0
    for r in rows:
        row = dict(zip(header, r))
        body = json.dumps({"user_id": row["user_id"], "item_ids": [row["item_id"]],
                           "context": {"hour": int(row["hour"])}, "return_inputs": True})
        req = urllib.request.Request(f"{url}/v1/predict", body.encode(), {"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as resp:
            got = json.load(resp)["scores"][0]["inputs"]
        for name, served in zip(inputs, got):
            exported = None if row[name] == "" else float(row[name])
            compared += 1
            present += served is not None
            if exported != served:
                problems += 1
                if problems <= 20:
                    print(f"{row['user_id']} {row['item_id']} ts {row['ts']} {name}: export {exported}, serve {served}",
                          file=sys.stderr)
    print(f"export_check: {len(rows)} rows at {log_lines} lines, {compared} inputs ({present} non-null),"
          f" {problems} differences", file=sys.stderr)
    return 0 if problems == 0 and len(rows) > 0 and present > compared // 3 else 1


def rows_at(path, log_lines):
    with open(path) as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, [dict(zip(header, r)) for r in reader if r[header.index("_log_lines")] == log_lines]


def distinct(uv_path, log_lines, url):
    _, rows = rows_at(uv_path, log_lines)
    problems = nonzero = 0
    for row in rows:
        with urllib.request.urlopen(f"{url}/v1/items/{row['item_id']}/features?features=item_unique_visitors") as r:
            served = json.load(r)["features"].get("item_unique_visitors", 0)
        exported = float(row["item_uv"])
        nonzero += served > 0
        if exported != served:
            problems += 1
            print(f"{row['item_id']} ts {row['ts']}: export {exported}, serve {served}", file=sys.stderr)
    print(f"export_check: {len(rows)} item_unique_visitors at {log_lines} lines ({nonzero} > 0), {problems} differences",
          file=sys.stderr)
    return 0 if problems == 0 and nonzero > len(rows) // 2 else 1


if __name__ == "__main__":
    if sys.argv[1] == "labels":
        make_labels(sys.argv[2], sys.argv[3])
        sys.exit(0)
    if sys.argv[1] == "distinct":
        sys.exit(distinct(sys.argv[2], sys.argv[3], sys.argv[4]))
    sys.exit(compare(sys.argv[2], sys.argv[3], sys.argv[4]))
