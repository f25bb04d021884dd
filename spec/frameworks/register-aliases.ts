/**
 * `node --import ./register-aliases.js`: installs {@link ./alias-resolve.js} with the aliases in
 * `BREAKWATER_FRAMEWORK_ALIASES` (JSON, such as `{"express":"express4","koa":"koa2"}`).
 */
import { register } from 'node:module';

const aliases = JSON.parse(process.env['BREAKWATER_FRAMEWORK_ALIASES'] ?? '{}') as Record<
  string,
  string
>;
register('./alias-resolve.js', import.meta.url, { data: { aliases } });
