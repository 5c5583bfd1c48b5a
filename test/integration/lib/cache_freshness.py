#!/usr/bin/python3
"""The near cache is never stale beyond the invalidation delay (docs/serving.md "Near cache").

delay  SERVE_PORT REDIS_PORT N          -> writes a key N times (every 10 ms) while reading it through
                                           serve as fast as possible; prints the write -> visible delays
                                           (ms): "p50 p99 max"
stream SERVE_PORT REDIS_PORT D_MS SECONDS USER...
                                        -> while the engine streams: for each user, reads the newest
                                           timeline score from Redis, waits D_MS, asks serve; serve's
                                           newest score must be >= Redis's. Prints "checks violations"
                                           and exits 1 on any violation."""
import http.client
import json
import socket
import subprocess
import sys
import threading
import time

mode, serve_port, redis_port = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class resp_client:
    """A minimal RESP2 client on one socket: no redis-cli process per command."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", int(port)))
        self.f = self.sock.makefile("rb")

    def __call__(self, *args):
        cmd = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
        self.sock.sendall(cmd.encode())
        return self.read()

    def read(self):
        line = self.f.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b"-"): return rest.decode()
        if kind == b":": return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0: return None
            data = self.f.read(n + 2)[:-2]
            return data.decode()
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise SystemExit(f"bad RESP line {line!r}")


def get(conn, path, unavailable_ok=False):
    """The JSON body; None for a 503 when unavailable_ok (serve.deadline_ms passed: an honest refusal)."""
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    if r.status == 503 and unavailable_ok:
        return None
    if r.status != 200:
        raise SystemExit(f"GET {path}: {r.status} {body[:200]!r}")
    return json.loads(body)


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


if mode == "delay":
    n = int(sys.argv[4])
    key, written, seen = "user:feature:{cache-delay}", {}, {}
    done = False

    def writer():
        global done
        w = subprocess.Popen(["redis-cli", "-p", redis_port], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, bufsize=1)
        for i in range(1, n + 1):
            w.stdin.write(f"HSET {key} cat:1 {i}\n")
            w.stdout.readline()  # the reply: the write is in Redis now
            written[i] = time.monotonic()
            time.sleep(0.01)
        w.stdin.close()
        w.wait()
        time.sleep(0.2)
        done = True

    t = threading.Thread(target=writer)
    t.start()
    conn = http.client.HTTPConnection("127.0.0.1", serve_port)
    while not done:
        body = get(conn, "/v1/users/cache-delay/features?features=user_category_clicks")
        v = body["features"].get("user_category_clicks", {}).get("1")
        if v is not None and v not in seen:
            seen[v] = time.monotonic()
    t.join()
    delays = [(seen[i] - written[i]) * 1000 for i in written if i in seen and seen[i] >= written[i]]
    # A value never seen was overwritten before a read came: the next one is what counts.
    missing = [i for i in written if i not in seen]
    if not delays or n in missing:
        raise SystemExit(f"the last write was never seen through serve (missing {missing[-5:]})")
    print(f"{percentile(delays, 0.5):.2f} {percentile(delays, 0.99):.2f} {max(delays):.2f}")

elif mode == "stream":
    d_ms, seconds, users = float(sys.argv[4]), float(sys.argv[5]), sys.argv[6:]
    conn = http.client.HTTPConnection("127.0.0.1", serve_port)
    redis = resp_client(redis_port)
    checks = violations = unavailable = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for u in users:
            z = redis("ZREVRANGE", f"user:session:{{{u}}}", "0", "0", "WITHSCORES")
            if not z:
                continue
            before = int(z[1])
            # A first read puts the key in the cache; the checked one may then be a hit.
            get(conn, f"/v1/users/{u}/features?features=user_session_timeline", unavailable_ok=True)
            time.sleep(d_ms / 1000)
            body = get(conn, f"/v1/users/{u}/features?features=user_session_timeline", unavailable_ok=True)
            if body is None:  # Redis slower than the deadline on a starved box: refused, not stale
                unavailable += 1
                continue
            timeline = body["features"].get("user_session_timeline", [])
            served = timeline[0]["ts"] if timeline else -1
            checks += 1
            if served < before:
                violations += 1
                print(f"user {u}: served newest ts {served} < Redis's {before} read {d_ms} ms before the request",
                      file=sys.stderr)
    if unavailable:
        print(f"{unavailable} requests refused with 503 (serve.deadline_ms), not counted", file=sys.stderr)
    if unavailable > max(checks, 1) // 10:
        print(f"too many refusals: {unavailable} against {checks} checks", file=sys.stderr)
        sys.exit(1)
    print(f"{checks} {violations}")
    sys.exit(1 if violations else 0)
