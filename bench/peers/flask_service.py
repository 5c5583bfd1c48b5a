"""The article's feature service (reference article, section 5 (1) "特征服务化设计"), the serving
bench's Flask side (scripts/lib/bench/serving.sh): GET /features/<user_id> reads one pipeline
(HGETALL of the user's feature hash, ZRANGE of its last 5 sessions, GET of its purchase amount)
through a redis-py ConnectionPool, answers the JSON and writes it to a 120 s cache key with SETEX.

Kept as the article wrote it, except: the imports it left out (json, time); Redis from the
environment (REDIS_HOST, REDIS_PORT); the keys written as rtfeat's catalogue names them, with the
hash tag braces (user:feature:{u1}, not user:feature:u1), so both services read the same keys.
As in the article, the cache is written and never read.
Run: gunicorn -w 2 -b 127.0.0.1:PORT --chdir bench/peers flask_service:app
"""
import json
import os
import time

import redis
from flask import Flask, jsonify

app = Flask(__name__)
pool = redis.ConnectionPool(host=os.environ.get("REDIS_HOST", "127.0.0.1"),
                            port=int(os.environ.get("REDIS_PORT", "6379")), decode_responses=True)
feature_ttl = 120  # feature cache time (seconds)


@app.route('/features/<user_id>')
def get_user_features(user_id):
    # base features from Redis
    r = redis.Redis(connection_pool=pool)
    pipeline = r.pipeline()

    # several features in one round trip
    pipeline.hgetall(f"user:feature:{{{user_id}}}")
    pipeline.zrange(f"user:session:{{{user_id}}}", -5, -1)  # the last 5 sessions
    pipeline.get(f"user:stats:{{{user_id}}}:purchase_amount")

    results = pipeline.execute()

    features = {
        "behavior": results[0],
        "recent_sessions": results[1],
        "purchase_amount": results[2],
        "timestamp": int(time.time())
    }

    # cache the result (fewer Redis requests)
    cache_key = f"feature_cache:{user_id}"
    r.setex(cache_key, feature_ttl, json.dumps(features))

    return jsonify(features)
