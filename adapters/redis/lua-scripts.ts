/**
 * The Lua scripts a {@link RedisStore} runs. Each runs atomically in Redis, so two replicas
 * writing at once cannot both win, and a trial permit moves in the same step as the state write
 * it belongs to. A breaker's keys share one hash tag, so each script touches one cluster slot.
 */

/**
 * `compare(term, version, origin, stored)`: where a write stamped (term, version, origin) stands
 * against the stored state by `isNewer`'s order (higher term, then version, then origin compared
 * byte by byte, as JavaScript compares ASCII strings). A stored value that is not a state loses.
 */
const COMPARE = `
local function greater(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return #a > #b
end
-- 1 when the write is newer than the stored JSON (or that is no state), 0 when it is the same
-- write, -1 when the stored one is newer.
local function compare(term, version, origin, json)
  local ok, s = pcall(cjson.decode, json)
  if not (ok and type(s) == 'table' and type(s.version) == 'number'
    and type(s.origin) == 'string') then return 1 end
  local t = tonumber(s.term) or 0
  if term ~= t then return term > t and 1 or -1 end
  if version ~= s.version then return version > s.version and 1 or -1 end
  if origin == s.origin then return 0 end
  return greater(origin, s.origin) and 1 or -1
end
`;

/**
 * Gives back a permit of the trial period ARGV[8] (none when empty), then writes the state if it is
 * newer than the stored one, refreshes the key's TTL and PUBLISHes the message. Returns nothing
 * when written, else the stored (newer) state's JSON, so the writer can adopt it.
 *
 * KEYS: state key, trial key. ARGV: state JSON, term, version, origin, ttl ms, channel, message,
 * trial period.
 */
export const WRITE_IF_NEWER = `${COMPARE}
if ARGV[8] ~= '' and redis.call('HGET', KEYS[2], 'period') == ARGV[8] then
  if tonumber(redis.call('HGET', KEYS[2], 'taken') or '0') > 0 then
    redis.call('HINCRBY', KEYS[2], 'taken', -1)
  end
end
local current = redis.call('GET', KEYS[1])
if current and compare(tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], current) < 1 then
  return current
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[5])
redis.call('PUBLISH', ARGV[6], ARGV[7])
return false
`;

/**
 * Takes up to `want` of the `max` permits of the half-open period stamped (term, version, origin),
 * named `period`. Refuses with `{-1, stored}` when the stored state is newer than the period's open
 * state (the period is over: a trial closed or reopened it, or an operator moved), so a replica
 * still half-open cannot take a permit given back by the write that closed the circuit. Else
 * `{granted, pttl}`. The count starts afresh for a new period and expires `ttl` ms after it began.
 *
 * KEYS: state key, trial key. ARGV: term, version, origin, period, max, want, ttl ms.
 */
export const CLAIM_TRIAL = `${COMPARE}
local current = redis.call('GET', KEYS[1])
if current and compare(tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], current) < 0 then
  return {-1, current}
end
if redis.call('HGET', KEYS[2], 'period') ~= ARGV[4] then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[2], 'period', ARGV[4], 'taken', 0)
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
end
local taken = tonumber(redis.call('HGET', KEYS[2], 'taken'))
local granted = math.min(tonumber(ARGV[6]), tonumber(ARGV[5]) - taken)
if granted < 0 then granted = 0 end
if granted > 0 then redis.call('HINCRBY', KEYS[2], 'taken', granted) end
return {granted, redis.call('PTTL', KEYS[2])}
`;

/**
 * Gives back one permit of period ARGV[1], never below zero, and PUBLISHes message ARGV[3] on
 * channel ARGV[2] so that replicas refused in that period may ask again. KEYS: trial key.
 */
export const RELEASE_TRIAL = `
if redis.call('HGET', KEYS[1], 'period') ~= ARGV[1] then return 0 end
local taken = tonumber(redis.call('HGET', KEYS[1], 'taken') or '0')
if taken > 0 then redis.call('HINCRBY', KEYS[1], 'taken', -1) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`;
