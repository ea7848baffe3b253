// JSON.parse that keeps the source text of every number (JSON.parse source text access), so that the strict readers
// (relay messages, payloads, group states) can tell `2` from `2.0` and `2e0`. Of repeated members the reviver sees
// the last only, as the parsed value holds.

/**
 * Parses `text`; returns {value, sourceOf}, where `sourceOf(holder, key)` is the source text of the number
 * `holder[key]` (holder: an object or array of `value`), or null if that member is not a number from the text.
 * Throws SyntaxError if `text` is not JSON.
 */
export function parseWithSources(text) {
  const sources = new WeakMap();
  const value = JSON.parse(text, function revive(key, v, context) {
    if (typeof v === 'number' && this !== null && typeof this === 'object') {
      if (!sources.has(this)) {
        sources.set(this, new Map());
      }
      sources.get(this).set(key, context?.source ?? null);
    }
    return v;
  });
  return { value, sourceOf: (holder, key) => sources.get(holder)?.get(String(key)) ?? null };
}
