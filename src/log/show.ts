/**
 * Bridge text made safe to quote: every piece of text a bridge chose (a name, a target, a reason)
 * goes through here before it enters a log line or an errorMessage. Control characters, line and
 * paragraph separators and lone surrogates are shown as escapes (`\n`, `\u001b`), never written
 * raw, so a bridge cannot forge a line or move a terminal's cursor; and the text is cut to a few
 * dozen characters, the cut marked, so a megabyte name costs a line a few dozen characters long.
 */

/** How many characters of bridge text a log line or an errorMessage quotes by default. */
export const SHOWN_CHARACTERS = 64;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** Characters never written raw: C0 and C1 controls, DEL, U+2028/2029, bidi overrides, lone surrogates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeOne(character: string): string {
  return SHORT_ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Escapes unsafe characters; the rest of the text is kept as it is. */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/**
 * At most `max` characters of `value` (a string, or anything else as String() shows it), escaped,
 * with `…(+N chars)` when it was cut. The cut never splits a surrogate pair.
 */
export function showText(value: unknown, max: number = SHOWN_CHARACTERS): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : String(value);
  } catch {
    text = '(unprintable)';
  }
  if (text.length <= max) return escapeText(text);
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return `${escapeText(text.slice(0, end))}…(+${text.length - end} chars)`;
}

/** A string or what it is instead, for a sentence: `"abc"` or `a number`. */
export function quoteText(value: unknown, max: number = SHOWN_CHARACTERS): string {
  return typeof value === 'string' ? `"${showText(value, max)}"` : value === null ? 'null' : `a ${typeof value}`;
}
