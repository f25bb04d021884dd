/** The path of a request URL without its query string or fragment. */
export function pathOf(url: string | undefined): string {
  if (url === undefined || url === '') return '/';
  let end = url.length;
  const query = url.indexOf('?');
  if (query >= 0) end = query;
  const hash = url.indexOf('#');
  if (hash >= 0 && hash < end) end = hash;
  return url.slice(0, end);
}
