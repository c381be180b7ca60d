/*
 * Why a connect request cannot go on, in words for the person on the connect page or callback. The codes are
 * stable (tests and the page switch on them); nothing here ever carries a token or a code.
 */
export const CONNECT_FAILURES = {
  not_found: "This connect link does not exist. Ask the service for a new one.",
  other_person: "This connect link was made for someone else. Sign in as that person, or ask the service for your own link.",
  expired: "This connect link has expired. Ask the service for a new one, or connect from Connections.",
  used: "This connect link was already used.",
  provider_disabled: "This provider is not enabled on this Tessera.",
  denied: "The provider did not grant access (you may have declined).",
  provider_error: "The provider refused the sign-in. Try again; if it keeps failing, an administrator should check the provider's settings.",
  provider_unreachable: "The provider could not be reached. Try again in a moment.",
} as const;

export type ConnectFailure = keyof typeof CONNECT_FAILURES;

export class ConnectError extends Error {
  /** The notice the connections page shows for it (lib/actions/notices.ts: connect_<failure>). */
  readonly code: `connect_${ConnectFailure}`;

  constructor(readonly failure: ConnectFailure) {
    super(CONNECT_FAILURES[failure]);
    this.code = `connect_${failure}`;
    this.name = "ConnectError";
  }
}
