/*
 * The API names a request's first invalid field in its error message, zod style: "redirectUris.0: redirect URI must
 * use https", "permissions: Choose at least one permission". Forms show that next to the control, in plain words
 * (issue 25 §4): the field path is dropped, an item of a one-per-line list becomes "Line 2:", and zod's generic
 * wording ("Invalid input", "Too small: …") gives way to the form's own sentence for that field.
 */
export type FieldProblem = { field: string; message: string };

/** zod's built-in messages: protocol words a person cannot act on. */
const GENERIC = /^(invalid|too (small|big)|expected|unrecognized|required$)/i;

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The field a message is about (one of `fallbacks`' keys) and what to say next to it, or null when the message is
 * not about one of them (shown as the form's general error instead). `fallbacks[field]` replaces generic wording.
 */
export function fieldProblem(message: string, fallbacks: Readonly<Record<string, string>>): FieldProblem | null {
  const match = /^([A-Za-z_][\w]*)((?:\.[\w]+)*): ([\s\S]+)$/.exec(message.trim());
  const [, field = "", rest = "", detail = ""] = match ?? [];
  const fallback = Object.hasOwn(fallbacks, field) ? fallbacks[field] : undefined;
  if (fallback === undefined) return null;
  const index = /^\.(\d+)/.exec(rest);
  const words = GENERIC.test(detail.trim()) ? fallback : sentence(detail);
  return { field, message: index ? `Line ${Number(index[1]) + 1}: ${words.charAt(0).toLowerCase()}${words.slice(1)}` : words };
}
