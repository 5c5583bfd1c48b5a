-- wrk script of the serving bench (scripts/lib/bench/serving.sh): every request is a GET of a
-- path template whose {id} is drawn Zipf-distributed from an id file (line k = rank k,
-- P ~ 1 / k^s), and the summary is printed as one JSON line starting with "json: ".
-- Usage: wrk -t2 -c500 -d10s -s bench/wrk_zipf.lua http://127.0.0.1:PORT -- IDS_FILE S PATH_TEMPLATE
-- wrk counts a status >= 400 as a status error; timeouts are requests over --timeout (not in the latencies).

local ids, cdf = {}, {}
local prefix, suffix, has_id = "/", "", false
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  local file, s, template = args[1], tonumber(args[2] or "1.1"), args[3] or "/"
  for line in io.lines(file) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  assert(#ids > 0, file .. ": no ids")
  local total = 0
  for k = 1, #ids do
    total = total + 1 / (k ^ s)
    cdf[k] = total
  end
  for k = 1, #ids do cdf[k] = cdf[k] / total end
  local at = template:find("{id}", 1, true)
  if at then
    prefix, suffix, has_id = template:sub(1, at - 1), template:sub(at + 4), true
  else
    prefix = template
  end
  math.randomseed(seed or 1)
end

function request()
  local u, lo, hi = math.random(), 1, #cdf
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  if has_id then return wrk.format("GET", prefix .. ids[lo] .. suffix) end
  return wrk.format("GET", prefix)
end

function done(summary, latency, requests)
  local e, secs = summary.errors, summary.duration / 1e6
  io.write(string.format(
    'json: {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,' ..
    '"p999_ms":%.3f,"max_ms":%.3f,"errors_connect":%d,"errors_read":%d,"errors_write":%d,' ..
    '"errors_timeout":%d,"status_errors":%d,"bytes":%d}\n',
    summary.requests, secs, summary.requests / secs, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.timeout, e.status, summary.bytes))
end
