/**
 * Why a delivery attempt failed, in words for the admin (issue 25: the status-code column read "bad port"). The
 * attempt row keeps the HTTP status and the sender's error text; the status column shows only the status, and this
 * sentence goes in a column of its own. Null when the attempt succeeded.
 */
export function describeAttemptProblem(attempt: { statusCode: number | null; error: string | null }): string | null {
  const { statusCode, error } = attempt;
  if (statusCode !== null && statusCode >= 200 && statusCode < 300 && !error) return null;
  if (statusCode !== null && (!error || error === `HTTP ${statusCode}`)) return `The receiver answered HTTP ${statusCode} (${statusWords(statusCode)})`;
  const text = error ?? "";
  if (text.startsWith("URL refused: ")) {
    const reason = text.slice("URL refused: ".length);
    return reason === "bad port" ? "Address refused: that port is not allowed for webhooks" : `Address refused: ${reason}`;
  }
  const timeout = /^no answer within (\d+) ms$/.exec(text);
  if (timeout) {
    const ms = Number(timeout[1]);
    return `No answer within ${ms >= 1000 ? `${(ms / 1000).toLocaleString("en", { maximumFractionDigits: 1 })} s` : `${ms} ms`}`;
  }
  if (/ECONNREFUSED/.test(text)) return "Connection refused: nothing is listening at that address";
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return "The host name does not resolve";
  if (/ECONNRESET|socket hang up/i.test(text)) return "The receiver closed the connection without answering";
  if (/closed before the answer was complete/.test(text)) return "The receiver's answer was cut off";
  if (/certificate|SSL|TLS/i.test(text)) return "The receiver's TLS certificate was not accepted";
  if (/ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/.test(text)) return "The receiver cannot be reached";
  if (text === "endpoint disabled") return "The endpoint is disabled";
  if (text.startsWith("signing secret cannot be decrypted")) return "The signing secret cannot be read with the configured keys";
  return statusCode !== null ? `HTTP ${statusCode}, then a network error` : "Network error";
}

function statusWords(status: number): string {
  if (status === 404) return "not found";
  if (status === 401 || status === 403) return "not allowed";
  if (status === 410) return "gone";
  if (status === 429) return "too many requests";
  if (status >= 300 && status < 400) return "a redirect, which is not followed";
  if (status >= 500) return "the receiver failed";
  if (status >= 400) return "the receiver refused the request";
  return "unexpected";
}
