"""The offline tables of scripts/train: users.csv and items.csv from the history
part of a `rtfeat gen` log, as a warehouse would hold them the day after (the
columns of test/data/model/train_model.py, in the format `rtfeat materialize` and
`rtfeat export --user-table/--item-table` read)."""
import collections
import csv
import json
import re

DAY_MS = 86_400_000
# Late lines are at most 65 s + 20 min behind their neighbours (runtime/tools/gen/event_generator.cpp).
MAX_BEHIND_MS = 22 * 60_000
ITEM_BEHAVIORS = {"view", "click", "cart", "fav", "purchase"}
USER_ID = re.compile(r"u[0-9]+")
ITEM_ID = re.compile(r"i[0-9]+")


def is_item_event(e, start_ts, max_skew_ms):
    """A well-formed item event (the generator's malformed lines break types or ids) whose
    ts lies within max_skew_ms of start_ts."""
    return (isinstance(e, dict) and e.get("behavior") in ITEM_BEHAVIORS and type(e.get("ts")) is int
            and abs(e["ts"] - start_ts) < max_skew_ms and type(e.get("category_id")) is int
            and USER_ID.fullmatch(str(e.get("user_id"))) is not None
            and ITEM_ID.fullmatch(str(e.get("item_id"))) is not None)


def json_lines(path):
    """Each line of the log that parses as JSON (the generator writes some that do not)."""
    with open(path) as f:
        for line in f:
            try:
                yield json.loads(line)
            except ValueError:
                continue


def item_events(path, start_ts, end_ts):
    """The well-formed item events of the log with start_ts <= ts < end_ts. Reading stops
    once the log is past end_ts by more than any line can be behind."""
    for e in json_lines(path):
        if not is_item_event(e, start_ts, 30 * DAY_MS):
            continue
        if e["ts"] >= end_ts + MAX_BEHIND_MS:
            return
        if start_ts <= e["ts"] < end_ts:
            yield e


def build(events):
    """(user rows, item rows) as lists of dicts, in id order."""
    items, users = {}, {}
    for e in events:
        it = items.setdefault(e["item_id"], {"category_id": e["category_id"], "price": None, "views": 0, "clicks": 0})
        if isinstance(e.get("price"), (int, float)):
            it["price"] = e["price"]
        it["views"] += e["behavior"] == "view"
        it["clicks"] += e["behavior"] == "click"
        u = users.setdefault(e["user_id"], {"events": 0, "orders": 0, "regions": collections.Counter()})
        u["events"] += 1
        u["orders"] += e["behavior"] == "purchase"
        u["regions"][e.get("region", "")] += 1
    item_rows = [{"item_id": item_id, "category_id": str(it["category_id"]),
                  "price": "" if it["price"] is None else f"{it['price']:g}",
                  # Smoothed towards 10 %: an item seen twice is not a 50 % item.
                  "hist_ctr": f"{(it['clicks'] + 1) / (it['views'] + 10):.4f}"}
                 for item_id, it in sorted(items.items(), key=lambda kv: int(kv[0][1:]))]
    user_rows = [{"user_id": user_id, "lifetime_orders": str(u["orders"]),
                  "segment": "vip" if u["orders"] >= 5 else ("regular" if u["events"] >= 20 else "new"),
                  "home_region": u["regions"].most_common(1)[0][0]}
                 for user_id, u in sorted(users.items(), key=lambda kv: int(kv[0][1:]))]
    return user_rows, item_rows


def write_csv(path, rows, columns):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)


def write_tables(events_path, start_ts, end_ts, users_path, items_path):
    """Writes both tables; returns (users, items) row counts."""
    user_rows, item_rows = build(item_events(events_path, start_ts, end_ts))
    write_csv(users_path, user_rows, ["user_id", "lifetime_orders", "segment", "home_region"])
    write_csv(items_path, item_rows, ["item_id", "category_id", "price", "hist_ctr"])
    return len(user_rows), len(item_rows)
