-- One wrk script for every bench scenario (bench/http_scenarios.py drives it).
--
-- Environment (wrk passes no arguments to the main Lua state, so settings come from here):
--   WRK_DATA    file of requests, one a line: METHOD<TAB>PATH<TAB>COOKIE<TAB>CSRF<TAB>BODY<TAB>CLIENT
--               (CLIENT, optional: the visitor's address, sent as X-Forwarded-For)
--   WRK_MARKER  text every good response body contains
--   WRK_ORIGIN  https://host:port, sent as Origin with unsafe methods (Django's CSRF check)
--   WRK_POOL    "1": use each line once (an exam submit cannot be repeated); threads split them
--   WRK_RATE    total requests per second to offer (fixed load); unset or 0: as fast as possible
--   WRK_THREADS wrk's -t, to split WRK_RATE between threads
--
-- Every request says X-Forwarded-Proto: https (the proxy's header, so no HTTPS redirect) and
-- carries its learner's session cookie. Every response is checked: a status of 300 or more,
-- or a body without the marker, is an error. done() prints one line, "WRKJSON {...}".

local marker = os.getenv("WRK_MARKER") or ""
local origin = os.getenv("WRK_ORIGIN") or ""
local pool = os.getenv("WRK_POOL") == "1"
local rate = tonumber(os.getenv("WRK_RATE") or "0") or 0
local thread_count = tonumber(os.getenv("WRK_THREADS") or "1") or 1

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    fields[#fields + 1] = field
  end
  return fields
end

local function build(fields)
  local method, path, cookie, csrf, body = fields[1], fields[2], fields[3], fields[4], fields[5]
  local client = fields[6] or ""
  local headers = { ["X-Forwarded-Proto"] = "https" }
  if client ~= "" then headers["X-Forwarded-For"] = client end
  if cookie ~= "" then headers["Cookie"] = cookie end
  if csrf ~= "" then
    headers["X-CSRFToken"] = csrf
    headers["Origin"] = origin
  end
  if body ~= "" then
    headers["Content-Type"] = "application/json"
  else
    body = nil
  end
  return wrk.format(method, path, headers, body)
end

local lines = {}
for line in io.lines(os.getenv("WRK_DATA")) do
  if line ~= "" then lines[#lines + 1] = line end
end

-- Built in init() for this thread's share; the main state only needs one to verify.
requests_built = { build(split(lines[1])) }
local next_index = 0
bad_status, bad_body, exhausted, first_error = 0, 0, 0, ""

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end

function init(args)
  requests_built = {}
  for index, line in ipairs(lines) do
    if not pool or (index - 1) % thread_count == id then
      requests_built[#requests_built + 1] = build(split(line))
    end
  end
end

function request()
  next_index = next_index + 1
  if next_index > #requests_built then
    if pool then exhausted = exhausted + 1 end
    next_index = 1
  end
  return requests_built[next_index]
end

function response(status, headers, body)
  if status >= 300 then
    bad_status = bad_status + 1
  elseif not string.find(body, marker, 1, true) then
    bad_body = bad_body + 1
  else
    return
  end
  if first_error == "" then first_error = status .. " " .. string.sub(body or "", 1, 160) end
end

if rate > 0 then
  -- Fixed offered load: each thread keeps a schedule of send times, one every
  -- thread_count / rate seconds, and delay() holds a connection until its request's slot.
  -- Behind schedule, requests go at once until it catches up (as long as a connection is free).
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock_id, bench_timespec *tp);
  ]]
  local now_spec = ffi.new("bench_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, now_spec) -- CLOCK_MONOTONIC
    return tonumber(now_spec.tv_sec) * 1000 + tonumber(now_spec.tv_nsec) / 1e6
  end
  local interval = 1000 * thread_count / rate
  local slot = nil

  function delay()
    local now = now_ms()
    if slot == nil then slot = now end
    local wait = slot - now
    slot = slot + interval
    if wait < 0 then return 0 end
    return wait
  end
end

local function escape(text)
  return (text:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end))
end

function done(summary, latency, requests)
  local totals = { bad_status = 0, bad_body = 0, exhausted = 0 }
  local sample = ""
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      totals[key] = totals[key] + (thread:get(key) or 0)
    end
    if sample == "" then sample = thread:get("first_error") or "" end
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "bad_status": %d, "bad_body": %d, "exhausted": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "timeout": %d, "first_error": "%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, totals.bad_status, totals.bad_body, totals.exhausted,
    e.connect, e.read, e.write, e.timeout, escape(sample)))
end
