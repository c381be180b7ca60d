import pino from "pino";

/*
 * Every log line goes through this logger. Any key that names a secret — anything matching
 * *token*, *secret*, password, authorization, cookie, api key — is replaced at any depth before the
 * line is written, so a provider response or a request header logged whole cannot leak a value.
 */
export const REDACTED_KEY = /token|secret|passw|authori[sz]ation|cookie|api[-_]?key|credential/i;
export const CENSOR = "[redacted]";

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return { type: value.name, message: value.message, code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = REDACTED_KEY.test(key) ? CENSOR : redactSecrets(item, depth + 1);
  }
  return out;
}

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}) {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: { app: "tessera" },
      formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export type Logger = ReturnType<typeof createLogger>;

export const logger: Logger = createLogger();
