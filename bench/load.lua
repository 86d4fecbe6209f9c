-- wrk script of bench/outside.sh: POST /deposits or /payouts (BENCH_KIND=deposit|payout) in
-- pawaPay format from the demo merchant (BENCH_TOKEN), each with a fresh id. Ids are unique
-- within a run: the thread number and a per-thread counter are part of every id.
local kind = os.getenv("BENCH_KIND") or "deposit"
local token = os.getenv("BENCH_TOKEN") or "bench-token"
local threads_started = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

function setup(thread)
  threads_started = threads_started + 1
  thread:set("tid", threads_started)
end

function init(args)
  counter = 0
  math.randomseed(os.time() + 7919 * (tid or 0))
end

local function fresh_id()
  counter = counter + 1
  return string.format("%04x%04x-%04x-4%03x-8%03x-%04x%08x",
    math.random(0, 0xffff), math.random(0, 0xffff), math.random(0, 0xffff),
    math.random(0, 0xfff), (tid or 0) % 0x1000, math.random(0, 0xffff), counter)
end

function request()
  local id = fresh_id()
  local msisdn = string.format("2607630%05d", counter % 100000)
  local body
  if kind == "payout" then
    body = '{"payoutId":"' .. id .. '","amount":"10","currency":"ZMW","correspondent":"MTN_MOMO_ZMB",'
      .. '"recipient":{"type":"MSISDN","address":{"value":"' .. msisdn .. '"}},'
      .. '"customerTimestamp":"2020-02-21T17:32:28Z","statementDescription":"Bench payout"}'
    return wrk.format(nil, "/payouts", nil, body)
  end
  body = '{"depositId":"' .. id .. '","amount":"15","currency":"ZMW","correspondent":"MTN_MOMO_ZMB",'
    .. '"payer":{"type":"MSISDN","address":{"value":"' .. msisdn .. '"}},'
    .. '"customerTimestamp":"2020-02-21T17:32:28Z","statementDescription":"Bench deposit"}'
  return wrk.format(nil, "/deposits", nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d non2xx=%d socket_errors=%d p50_ms=%.1f p99_ms=%.1f seconds=%.2f\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration / 1e6))
end
