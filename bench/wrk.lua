-- wrk script of bench/load.py. BENCH_MISS=1 appends a parameter unique to each request
-- (b=<thread>-<counter>), so the whole-page cache, keyed on host, path and query, never has the
-- page: every request is a cache miss. Without it every request asks for the same URL (a hit
-- once warm). done() prints one line of JSON that load.py reads.

local miss = os.getenv("BENCH_MISS") == "1"
local counter = 0
local thread_id = 0
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

function request()
  if not miss then
    return wrk.format(nil, wrk.path)
  end
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "b=" .. thread_id .. "-" .. counter)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
