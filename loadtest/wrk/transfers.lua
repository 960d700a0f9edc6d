-- Keyed uniform transfers for wrk, an HTTP client independent of the service's code and cheap in CPU, so that
-- its own cost does not hide the service's. Every request is POST /v1/transfers between two wallets drawn
-- uniformly (never the same one twice), signed with the source wallet owner's token, under an Idempotency-Key of
-- its own. At the end it prints how many answers were 201 and how many were not, by class.
--
--   wallet-loadtest --users 100 --wallets 10000 --wrk-population /tmp/population.txt
--   wrk -t 2 -c 64 -d 10 --latency -s loadtest/wrk/transfers.lua http://127.0.0.1:8080 -- /tmp/population.txt
--
-- The population file holds one funded wallet per line: its id, a space, its owner's bearer token.

local AMOUNT_MIN, AMOUNT_MAX = 1, 100   -- minor units, like wallet-loadtest's default --amount

local threads = {}
local next_thread = 0

-- Main thread, once per wrk thread: a number of its own for the idempotency keys.
function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
  table.insert(threads, thread)
end

local wallets, tokens = {}, {}
local run_id, sent = "", 0
created, refused, failed = 0, 0, 0

function init(args)
  local path = args[1]
  if path == nil then error("usage: wrk ... -s transfers.lua URL -- POPULATION_FILE") end
  for line in io.lines(path) do
    local id, token = line:match("^(%S+) (%S+)$")
    if id then
      wallets[#wallets + 1] = id
      tokens[#tokens + 1] = token
    end
  end
  if #wallets < 2 then error(path .. ": at least two wallets are needed") end
  -- Keys unique across runs on one database and across this run's threads.
  math.randomseed(os.time() * 1000 + thread_number)
  run_id = string.format("wrk-%x-%d", os.time(), math.random(0, 0xFFFFFF))
end

function request()
  local from = math.random(#wallets)
  local to = math.random(#wallets - 1)
  if to >= from then to = to + 1 end
  sent = sent + 1
  local body = string.format('{"from_wallet_id":"%s","to_wallet_id":"%s","amount":%d}',
    wallets[from], wallets[to], math.random(AMOUNT_MIN, AMOUNT_MAX))
  return wrk.format("POST", "/v1/transfers", {
    ["Authorization"] = "Bearer " .. tokens[from],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("%s-%d-%d", run_id, thread_number, sent),
  }, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status < 500 then refused = refused + 1
  else failed = failed + 1 end
end

function done(summary, latency, requests)
  local ok, four, five = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("created")
    four = four + thread:get("refused")
    five = five + thread:get("failed")
  end
  io.write(string.format("transfers: %d answered 201, %d not (%d 4xx, %d 5xx); %d socket errors\n",
    ok, four + five, four, five,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("201/s: %.1f\n", ok / (summary.duration / 1e6)))
end
