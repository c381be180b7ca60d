/** A configuration problem that stops `npm start`; its message names the setting and how to fix it. */
export class StartupConfigError extends Error {
  readonly code: string = "startup_config";
}
