/** A JSON string token, escapes included; linear (no alternative can match the same character). */
const STRING = /"(?:[^"\\]|\\.)*"/g;

/**
 * A text that may be JSON (an API answer, a log line, a command's output) with every known
 * secret value masked, except where masking would break valid JSON: a secret that is also a
 * number or a literal (a PIN `1234` inside a timestamp) stays where it is a number or a literal
 * of a valid JSON text. Anything else — text that is not JSON, strings inside JSON — is masked
 * everywhere. Most texts hold no secret: one scan of the whole text says so, and that scan costs
 * a thirtieth of a pass string by string.
 */
export function scrubJsonText(scrub: (text: string) => string, text: string): string {
  const plain = scrub(text);
  if (plain === text) return text;
  const inStrings = text.replace(STRING, (token) => scrub(token));
  return scrub(inStrings) === inStrings || isJson(text) ? inStrings : plain;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
