-- wrk script: sends the raw requests of a file (NUL-separated, written by bench/load/requests.py)
-- in order, one each, and prints one JSON line with the latency percentiles and the count of
-- every status code, so each answer can be checked (e.g. every decision accepted).
-- usage: wrk ... -s requests.lua URL -- REQUESTS_FILE

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local data = file:read("*a")
  file:close()
  requests = {}
  local start = 1
  while true do
    local stop = string.find(data, "\0", start, true)
    if not stop then break end
    requests[#requests + 1] = string.sub(data, start, stop - 1)
    start = stop + 1
  end
  sent = 0
  wrapped = 0
  statuses = {}
end

function request()
  sent = sent + 1
  if sent > #requests then
    -- more requests than the file holds: they repeat, and the report says so
    sent = 1
    wrapped = wrapped + 1
  end
  return requests[sent]
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  local wraps = 0
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      merged[code] = (merged[code] or 0) + count
    end
    wraps = wraps + thread:get("wrapped")
  end
  local codes = {}
  for code, count in pairs(merged) do
    table.insert(codes, string.format('"%s": %d', code, count))
  end
  local errors = summary.errors
  io.write(string.format(
    '{"bench": {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"statuses": {%s}, "wrapped": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, table.concat(codes, ", "), wraps))
end
