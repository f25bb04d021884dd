/**
 * The Lua scripts a {@link RedisStore} runs. Each runs atomically in Redis, so two replicas
 * writing at once cannot both win.
 */

/**
 * Writes a breaker's shared state if it is newer than the stored one by `isNewer`'s order
 * (higher version; on a tie, the higher origin compared byte by byte, as JavaScript compares
 * ASCII strings), refreshes the key's TTL and PUBLISHes the message. Returns nothing when written,
 * else the stored (newer) state's JSON, so the writer can adopt it.
 *
 * KEYS[1] state key. ARGV: state JSON, version, origin, ttl ms, channel, message.
 */
export const WRITE_IF_NEWER = `
local function greater(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return #a > #b
end
local current = redis.call('GET', KEYS[1])
if current then
  local ok, stored = pcall(cjson.decode, current)
  if ok and type(stored) == 'table' and type(stored.version) == 'number'
    and type(stored.origin) == 'string' then
    local version = tonumber(ARGV[2])
    if not (version > stored.version
      or (version == stored.version and greater(ARGV[3], stored.origin))) then
      return current
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return false
`;

/**
 * Takes one trial permit if fewer than `max` are taken: `{1, pttl}` when granted, `{0, pttl}`
 * when not. The count's key expires `ttl` ms after the first permit of the period.
 *
 * KEYS[1] trial key. ARGV: max, ttl ms.
 */
export const CLAIM_TRIAL = `
local taken = tonumber(redis.call('GET', KEYS[1]) or '0')
if taken >= tonumber(ARGV[1]) then return {0, redis.call('PTTL', KEYS[1])} end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {1, redis.call('PTTL', KEYS[1])}
`;

/** Gives back one permit, never going below zero. KEYS[1] trial key. */
export const RELEASE_TRIAL = `
local taken = tonumber(redis.call('GET', KEYS[1]) or '0')
if taken > 0 then redis.call('DECR', KEYS[1]) end
return taken
`;
