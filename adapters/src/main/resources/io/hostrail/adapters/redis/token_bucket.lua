-- One token bucket, refilled and drawn from in one atomic step. Time is Redis's own (TIME), so app
-- instances sharing this Redis agree without synchronized clocks. Amounts are whole numbers (see
-- io.hostrail.shared.ratelimit.BucketScale), all below 2^53 so Lua's doubles hold them exactly:
--   ARGV[1] units fill the bucket, a token is ARGV[2] units, ARGV[3] units arrive every ARGV[4] µs.
-- The hash holds t (units in the bucket), ts (the µs up to which refill has been counted) and
-- u (units per token when written, so a changed spec keeps the bucket's share of a token).
-- Returns {1 if a token was taken else 0, whole tokens left, ms until a token is there (0 if taken),
-- ms until the bucket is full}. The key expires when the bucket would be full: no key means full.
local capacity = tonumber(ARGV[1])
local per_token = tonumber(ARGV[2])
local per_tick = tonumber(ARGV[3])
local tick = tonumber(ARGV[4])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])

local state = redis.call('HMGET', KEYS[1], 't', 'ts', 'u')
local units = tonumber(state[1])
local counted = tonumber(state[2])
local stored_per_token = tonumber(state[3])

if units == nil or counted == nil or stored_per_token == nil then
  units = capacity
  counted = now
else
  if stored_per_token ~= per_token then
    units = math.floor(units * per_token / stored_per_token)
  end
  if counted > now then
    -- Redis's clock stepped back (a failover): refill counts on from the new now.
    counted = now
  end
  local ticks = math.floor((now - counted) / tick)
  if units >= capacity or ticks * per_tick >= capacity - units then
    units = capacity
    counted = now
  else
    units = units + ticks * per_tick
    counted = counted + ticks * tick
  end
end

local taken = 0
if units >= per_token then
  units = units - per_token
  taken = 1
end

-- Milliseconds, rounded up, until `needed` more units have arrived.
local function wait_ms(needed)
  if needed <= 0 then
    return 0
  end
  return math.ceil((math.ceil(needed / per_tick) * tick - (now - counted)) / 1000)
end

local retry_ms = 0
if taken == 0 then
  retry_ms = wait_ms(per_token - units)
end
local reset_ms = wait_ms(capacity - units)

redis.call('HSET', KEYS[1], 't', units, 'ts', counted, 'u', per_token)
redis.call('PEXPIRE', KEYS[1], math.max(reset_ms, 1))
return {taken, math.floor(units / per_token), retry_ms, reset_ms}
