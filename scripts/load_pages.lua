-- wrk script of scripts/load_pages.py: every request takes the next session cookie (per-request rotation over
-- the sessions) and a path drawn from the list; counts the responses that are not 200 (a 302 to the login page
-- is an error here) and prints one machine-readable line at the end.
--
--   wrk -t2 -c50 -d8s --timeout 30s -s scripts/load_pages.lua http://127.0.0.1:8130 -- <cookies,…> <paths,…>
--
-- Output (last line): RESULT requests=<n> non200=<n> socket_errors=<n> seconds=<s> p50=<ms> p95=<ms> p99=<ms>

local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function split(text)
  local out = {}
  for item in string.gmatch(text or "", "[^,]+") do
    table.insert(out, item)
  end
  return out
end

function init(args)
  cookies = split(args[1])
  paths = split(args[2])
  next_request = offset
  non200 = 0
  math.randomseed(1000 + offset)
end

function request()
  next_request = next_request + 1
  local cookie = cookies[(next_request % #cookies) + 1]
  local path = paths[math.random(#paths)]
  return wrk.format("GET", path, {["Cookie"] = "sessionid=" .. cookie, ["Host"] = "127.0.0.1"})
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non200")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d non200=%d socket_errors=%d seconds=%.3f p50=%.2f p95=%.2f p99=%.2f\n",
    summary.requests, bad, e.connect + e.read + e.write + e.timeout, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
