/**
 * Wraps a log function so that no line it writes carries one of `secrets` (API keys, the admin
 * token): an SDK's error message or a stack can quote a key, and logs travel further than the
 * process. Each occurrence becomes `[redacted]`; secrets shorter than 8 characters are left out,
 * since replacing them would garble ordinary words.
 *
 * @example
 * const log = redactSecrets(console.log, [process.env.OPENAI_API_KEY]);
 */
export function redactSecrets(
  log: (line: string) => void,
  secrets: readonly (string | undefined)[],
): (line: string) => void {
  const hidden = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8);
  if (hidden.length === 0) return log;
  // Longest first, so a secret that contains another is hidden whole.
  hidden.sort((a, b) => b.length - a.length);
  return (line: string) => {
    let safe = String(line);
    for (const secret of hidden) safe = safe.split(secret).join('[redacted]');
    log(safe);
  };
}
