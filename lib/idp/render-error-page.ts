/** The IdP's error page: only the OAuth error code and description (never request parameters). */
export function renderErrorPage(out: { error?: unknown; error_description?: unknown }): string {
  const escape = (value: unknown) => String(value ?? "").replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Demo identity provider: error</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">
<h1>The demo identity provider stopped this request</h1><p><code>${escape(out.error)}</code>: ${escape(out.error_description)}</p></body></html>`;
}
