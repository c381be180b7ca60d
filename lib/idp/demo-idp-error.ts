export type DemoIdpErrorCode = "invalid_options" | "listen_failed" | "authorization_failed" | "unexpected_idp_page" | "token_request_failed";

/** Errors from starting or talking to the demo identity provider. Messages never carry token values. */
export class DemoIdpError extends Error {
  readonly code: DemoIdpErrorCode;

  constructor(code: DemoIdpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DemoIdpError";
    this.code = code;
  }
}
