-- Sends the requests listed in the file named by BENCH_REQUESTS, one per line as
-- "METHOD<TAB>PATH<TAB>TOKEN<TAB>BODY", each connection starting at its own place and rotating
-- through them, so that load spreads over many learners. With BENCH_DELAY_MS set, each
-- connection waits that long between requests (a fixed, moderate rate instead of the most the
-- server can take).
local requests = {}
local counter = 0
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("(.-)\t") do
    table.insert(fields, field)
  end
  return fields
end

for line in io.lines(os.getenv("BENCH_REQUESTS")) do
  local f = split(line)
  local headers = {["Content-Type"] = "application/json", ["Host"] = "127.0.0.1"}
  if f[3] ~= "" then headers["Authorization"] = "Bearer " .. f[3] end
  local body = f[4] ~= "" and f[4] or nil
  table.insert(requests, wrk.format(f[1], f[2], headers, body))
end

function setup(thread)
  thread:set("offset", counter)
  counter = counter + 97
end

function init(args)
  position = offset % #requests
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function delay()
  return delay_ms
end

function done(summary, latency, requests_)
  io.write(string.format(
    "BENCH %d %d %d %d %.0f %.0f\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    summary.duration,
    latency:percentile(50),
    latency:percentile(99)
  ))
end
