-- wrk script for benchmarks/serving.py: POST /api/ask with the request bodies of $WRK_BODIES (one
-- JSON body per line), in turn; a reply is bad unless it is a 200 holding "passages". done() prints
-- one JSON line: requests, seconds, p50/p95 latency (ms), bad replies and socket errors.
local bodies = {}
for line in io.lines(os.getenv("WRK_BODIES")) do bodies[#bodies + 1] = line end
local sent = 0
bad = 0

function request()
  sent = sent + 1
  local body = bodies[(sent % #bodies) + 1]
  return wrk.format("POST", "/api/ask", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"passages"', 1, true) then bad = bad + 1 end
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

function done(summary, latency, requests)
  local bad_replies = 0
  for _, thread in ipairs(threads) do bad_replies = bad_replies + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "bad": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, bad_replies, e.connect + e.read + e.write + e.timeout))
end
