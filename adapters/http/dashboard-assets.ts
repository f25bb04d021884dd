import { readFile } from 'node:fs/promises';
import { errorAnswer, type AdminAnswer } from './admin-answer.js';

/**
 * The files `GET /assets/:file` serves: the dashboard's chart library, uPlot (MIT), and its
 * license. `npm run build` copies them from the uplot devDependency next to this module
 * (scripts/copy-assets.mjs), so the published package carries them and nothing is installed
 * or fetched for them.
 */
const ASSETS: Readonly<Record<string, string>> = {
  'uplot.js': 'text/javascript; charset=utf-8',
  'uplot.css': 'text/css; charset=utf-8',
  'uplot-license.txt': 'text/plain; charset=utf-8',
};

const read = new Map<string, Promise<string | null>>();

/** The answer to `GET /assets/:file`: the file, or 404 for any other name. */
export async function assetAnswer(file: string): Promise<AdminAnswer> {
  const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
  if (type === undefined)
    return errorAnswer(404, 'not_found', `No asset called ${JSON.stringify(file)}`);
  let body = read.get(file);
  if (body === undefined) {
    body = readFile(new URL(`./assets/${file}`, import.meta.url), 'utf8').catch(() => {
      read.delete(file);
      return null;
    });
    read.set(file, body);
  }
  const text = await body;
  if (text === null) {
    return errorAnswer(404, 'not_found', `The asset ${file} is missing: run npm run build`);
  }
  return {
    kind: 'answer',
    status: 200,
    headers: {
      'content-type': type,
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    },
    body: text,
  };
}
