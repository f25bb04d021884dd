/**
 * The public types work for users who compile with `exactOptionalPropertyTypes` (TypeScript 7's
 * `tsc --init` turns it on): every optional property of every shipped declaration admits
 * `undefined`, so `{ token: process.env.ADMIN_TOKEN }` compiles, and at run time an option given
 * as `undefined` means "not given".
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Breaker, BreakerRegistry, CircuitBreaker, failover } from '../../lib/index.js';
import * as onExpress from '../../adapters/express/index.js';
import * as onKoa from '../../adapters/koa/index.js';
import { strictOptionals } from './optional-properties.js';

const dist = fileURLToPath(new URL('../../', import.meta.url));

function declarations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('types under exactOptionalPropertyTypes', () => {
  it('every optional property of the shipped declarations admits undefined', () => {
    const files = [...declarations(join(dist, 'lib')), ...declarations(join(dist, 'adapters'))];
    expect(files.length).to.be.greaterThan(50);
    const strict = files.flatMap((file) =>
      strictOptionals(readFileSync(file, 'utf8')).map(
        (p) => `${file.slice(dist.length)}:${p.line} ${p.property}?: ${p.type}`,
      ),
    );
    expect(strict, 'write `name?: T | undefined`').to.deep.equal([]);
  });

  it('the scanner finds properties, not parameters, across lines and brackets', () => {
    const dts = [
      'export interface A {',
      '  /** a comment with b?: string inside */',
      '  readonly token?: string;',
      '  ok?: string | undefined;',
      '  fn?: (error: unknown, extra?: string) => void;',
      '  wrapped?: ((error: unknown) => void) | undefined;',
      '  nested?: { deep?: number } | undefined;',
      '  "quoted-key"?: Array<string | undefined>;',
      '  multi?:',
      '    | "a"',
      '    | undefined;',
      '}',
      'export declare function f(x?: string, y?: { z?: number }): void;',
    ].join('\n');
    expect(strictOptionals(dts)).to.deep.equal([
      { line: 3, property: 'token', type: 'string' },
      { line: 5, property: 'fn', type: '(error: unknown, extra?: string) => void' },
      { line: 7, property: 'deep', type: 'number' },
      { line: 8, property: '"quoted-key"', type: 'Array<string | undefined>' },
      { line: 13, property: 'z', type: 'number' },
    ]);
  });

  describe('an option given as undefined is not given', () => {
    const unset = { timeout: undefined, resetTimeout: undefined, failureThreshold: undefined };

    it('keeps the registry defaults under registry.get()', () => {
      const registry = new BreakerRegistry({
        defaults: { timeout: 5_000, resetTimeout: 7_000, name: undefined },
      });
      const config = registry.get('openai', unset).snapshot().config;
      expect(config).to.include({ timeout: 5_000, resetTimeout: 7_000, failureThreshold: 5 });
    });

    it('in a Breaker, failover levels and @CircuitBreaker', async () => {
      expect(new Breaker({ name: 'b', ...unset, clock: undefined }).snapshot().config).to.include({
        timeout: 30_000,
        resetTimeout: 60_000,
        failureThreshold: 5,
      });
      const registry = new BreakerRegistry({ defaults: { timeout: 5_000 } });
      const chain = failover(
        [{ name: 'primary', call: async (x: number) => x * 2, options: unset }],
        { registry: undefined },
      );
      expect(await chain(21)).to.equal(42);
      class Service {
        @CircuitBreaker('decorated', { ...unset, registry })
        async twice(x: number): Promise<number> {
          return x * 2;
        }
      }
      expect(await new Service().twice(2)).to.equal(4);
      expect(registry.get('decorated').snapshot().config).to.include({ timeout: 5_000 });
    });

    it('in adminRouter() and protect(), under Express and Koa', () => {
      const registry = new BreakerRegistry({ defaults: { timeout: 5_000 } });
      const admin = {
        token: process.env['BREAKWATER_SPEC_UNSET_TOKEN'],
        authorize: undefined,
        metrics: undefined,
        panels: undefined,
        eventsInterval: undefined,
        bodyLimit: undefined,
        onError: undefined,
      };
      expect(admin.token).to.equal(undefined);
      expect(onExpress.adminRouter(registry, admin)).to.be.a('function');
      expect(onKoa.adminRouter(registry, { ...admin, prefix: undefined })).to.be.a('function');
      onExpress.protect('express-route', {
        registry,
        name: undefined,
        onReject: undefined,
        ...unset,
      });
      onKoa.protect('koa-route', { registry, name: undefined, onReject: undefined, ...unset });
      for (const name of ['express-route', 'koa-route']) {
        expect(registry.get(name).snapshot().config).to.include({ timeout: 5_000 });
      }
      const breaker = new Breaker({ name: 'given' });
      expect(() => onExpress.protect(breaker, { registry: undefined, ...unset })).not.to.throw();
      expect(() => onKoa.protect(breaker, { timeout: 1_000 })).to.throw(TypeError, /timeout/);
    });
  });
});
