#!/usr/bin/env bash
# rtfeat materialize against a real redis-server with a password: rows land as
# hashes with the right fields and TTL, a second run replaces rows, bad rows are
# reported by line and counted (exit 1) while good ones land, and a missing file,
# a missing id column, no Redis or refused credentials exit 2 with the cause.
# Usage: materialize_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"

work_dir materialize
REDIS_PORT=$(free_port)
PASSWORD='m4ter!alize'
on_exit 'REDISCLI_AUTH=$PASSWORD stop_redis "$REDIS_PORT"'

start_redis "$REDIS_PORT" "$WORK/redis" --requirepass "$PASSWORD"
cli() { REDISCLI_AUTH=$PASSWORD redis-cli -p "$REDIS_PORT" "$@"; }
export RTFEAT_REDIS_PASSWORD=$PASSWORD
common=(--config "$ROOT/config/rtfeat.toml" --set "redis.port=$REDIS_PORT")

# Runs materialize with the given arguments; sets RC and leaves stderr in $WORK/err.log.
run() {
  RC=0
  "$BIN" materialize "${common[@]}" "$@" 2>"$WORK/err.log" >/dev/null || RC=$?
}
expect_rc() {  # $1: expected exit code, $2: what
  [ "$RC" = "$1" ] || { cat "$WORK/err.log" >&2; fail "$2: exit $RC, expected $1"; }
}
expect_err() {  # $1: text the error output must hold, $2: what
  grep -qF -- "$1" "$WORK/err.log" || { cat "$WORK/err.log" >&2; fail "$2: no '$1' in the output"; }
}
field() { cli HGET "$1" "$2"; }

# 1. A table with quoting, an empty cell and CRLF endings.
printf 'item_id,category_id,price,title\r\ni1,3,59.9,"red, large"\r\ni2,7,,"say ""hi"""\r\ni3,3,12,"two\r\nlines"\r\n' \
  >"$WORK/items.csv"
run --table "$WORK/items.csv" --entity item
expect_rc 0 "a good table"
expect_err "3 rows, 3 written to item:offline:{<item_id>}, 0 bad" "the summary"
[ "$(cli DBSIZE)" = 3 ] || fail "expected 3 keys, Redis has $(cli DBSIZE)"
[ "$(field 'item:offline:{i1}' category_id)" = 3 ] || fail "i1 category_id"
[ "$(field 'item:offline:{i1}' title)" = "red, large" ] || fail "i1 title: '$(field 'item:offline:{i1}' title)'"
[ "$(field 'item:offline:{i2}' title)" = 'say "hi"' ] || fail "i2 title"
[ "$(cli HEXISTS 'item:offline:{i2}' price)" = 0 ] || fail "an empty cell was written"
[ "$(cli HLEN 'item:offline:{i2}')" = 2 ] || fail "i2 has $(cli HLEN 'item:offline:{i2}') fields, expected 2"
[ "$(cli HEXISTS 'item:offline:{i1}' item_id)" = 0 ] || fail "the id column was written as a field"
[ "$(cli --no-raw HGET 'item:offline:{i3}' title)" = '"two\nlines"' ] || fail "i3 title: $(cli --no-raw HGET 'item:offline:{i3}' title)"
ttl=$(cli TTL 'item:offline:{i1}')
[ "$ttl" -gt 604000 ] && [ "$ttl" -le 604800 ] || fail "default TTL is $ttl, expected 7 days"

# 2. A second run replaces whole rows (a field gone from the table is gone from Redis) and sets its TTL.
printf 'item_id,category_id,price,title\ni1,4,,\n' >"$WORK/items2.csv"
run --table "$WORK/items2.csv" --entity item --ttl 1h
expect_rc 0 "a re-materialize"
[ "$(cli HGETALL 'item:offline:{i1}' | paste -sd,)" = "category_id,4" ] || fail "i1 not replaced: $(cli HGETALL 'item:offline:{i1}' | paste -sd,)"
ttl=$(cli TTL 'item:offline:{i1}')
[ "$ttl" -gt 3500 ] && [ "$ttl" -le 3600 ] || fail "--ttl 1h gave TTL $ttl"
run --table "$WORK/items2.csv" --entity item --ttl 0
[ "$(cli TTL 'item:offline:{i1}')" = -1 ] || fail "--ttl 0 left TTL $(cli TTL 'item:offline:{i1}')"

# 3. Bad rows: reported with their line, counted, exit 1; the good rows still land.
long_id=$(printf 'u%.0s' $(seq 1 129))
{
  printf 'segment,user_id,orders\n'  # the id column need not come first
  printf 'vip,u1,5\n'
  printf 'new,u2\n'                  # line 3: a column missing
  printf 'new,,1\n'                  # line 4: empty id
  printf 'new,%s,1\n' "$long_id"     # line 5: id over 128 bytes
  printf 'new,u 6,1\n'               # line 6: a space in the id
  printf 'regular,u7,2\n'
  printf 'new,"u8"x,1\n'             # line 8: text after a closing quote
  printf 'new,u9,3\n'
} >"$WORK/users.csv"
run --table "$WORK/users.csv" --entity user
expect_rc 1 "a table with bad rows"
expect_err "users.csv:3: bad row: 2 columns, the header has 3" "wrong column count"
expect_err "users.csv:4: bad row: empty id" "empty id"
expect_err "users.csv:5: bad row: id of 129 bytes (at most 128)" "long id"
expect_err "users.csv:6: bad row: id with ' ' at byte 2" "bad id charset"
expect_err "users.csv:8: bad row: text after the closing quote of field 2" "bad quoting"
expect_err "8 rows, 3 written to user:offline:{<user_id>}, 5 bad" "the summary of a table with bad rows"
for u in u1 u7 u9; do [ "$(cli EXISTS "user:offline:{$u}")" = 1 ] || fail "good row $u did not land"; done
[ "$(field 'user:offline:{u7}' segment)" = regular ] || fail "u7 segment"
[ "$(cli KEYS 'user:offline:*' | wc -l)" = 3 ] || fail "bad rows landed: $(cli KEYS 'user:offline:*' | paste -sd' ')"

# 4. Another id column, and many rows over many small transactions.
awk 'BEGIN { print "uid,score"; for (i = 1; i <= 20000; i++) printf "x%d,%d\n", i, i * 3 }' >"$WORK/big.csv"
run --table "$WORK/big.csv" --entity user --id-column uid --batch 100
expect_rc 0 "20000 rows"
[ "$(cli KEYS 'user:offline:{x*}' | wc -l)" = 20000 ] || fail "not all 20000 rows landed"
[ "$(field 'user:offline:{x12345}' score)" = 37035 ] || fail "x12345 score"

# 5. Whatever stops the whole load exits 2 with the cause, before writing anything.
before=$(cli DBSIZE)
run --table "$WORK/nope.csv" --entity user
expect_rc 2 "a missing file"; expect_err "cannot open table '$WORK/nope.csv'" "a missing file"
run --table "$WORK/big.csv" --entity user
expect_rc 2 "no id column"; expect_err "no id column 'user_id' in the header" "no id column"
: >"$WORK/empty.csv"
run --table "$WORK/empty.csv" --entity user
expect_rc 2 "an empty file"; expect_err "empty table" "an empty file"
run --table "$WORK/users.csv" --entity user --set "redis.port=$(free_port)"
expect_rc 2 "no Redis"; expect_err "Connection refused" "no Redis"
RTFEAT_REDIS_PASSWORD=wrong run --table "$WORK/users.csv" --entity user
expect_rc 2 "a wrong password"; expect_err "AUTH refused" "a wrong password"
unset RTFEAT_REDIS_PASSWORD
run --table "$WORK/users.csv" --entity user
expect_rc 2 "no password"; expect_err "set RTFEAT_REDIS_PASSWORD" "no password"
if grep -qF -- "$PASSWORD" "$WORK/err.log"; then fail "the password is in the output"; fi
[ "$(cli DBSIZE)" = "$before" ] || fail "a refused run wrote to Redis"

# 6. The demo model's offline tables load cleanly.
export RTFEAT_REDIS_PASSWORD=$PASSWORD
for t in users items; do
  run --table "$ROOT/test/data/model/$t.csv" --entity "${t%s}"
  expect_rc 0 "test/data/model/$t.csv"
done
log "PASS: materialize: hashes with fields and TTL, replace on re-run, bad rows by line (exit 1), refusals exit 2"
