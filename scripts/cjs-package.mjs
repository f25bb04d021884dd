#!/usr/bin/env node
// Marks dist/cjs, the CommonJS build of breakwater/opossum (tsconfig.cjs.json), as CommonJS for
// Node: most opossum users require() it, and Node 20 cannot require() ESM.
import { mkdirSync, writeFileSync } from 'node:fs';

const dir = new URL('../dist/cjs/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('package.json', dir), '{ "type": "commonjs" }\n');
