/**
 * Helm's coalescing of a release's values over the chart's defaults, written for the
 * tests independently of the library's own: maps merge key by key, everything else
 * (lists included) is replaced.
 */
export function coalesce(defaults: any, values: any): any {
  const isMap = (x: any) => x && typeof x === 'object' && !Array.isArray(x);
  if (!isMap(defaults) || !isMap(values)) return values === undefined ? defaults : values;
  const out = { ...defaults };
  for (const [k, v] of Object.entries(values)) out[k] = coalesce(defaults[k], v);
  return out;
}
