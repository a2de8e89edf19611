import type { UrbisErrorCode } from '../../core/errors/urbis-error.js';
import type { TerminalVerdict } from '../terminal/terminal.js';
import type { TerminalFixture } from './terminal-fixture.js';

/**
 * The shape of one case of the terminal's negative suite (issue 6: "one
 * suite, two wirings"), and what a wiring gives the cases. Test support.
 */

/** Which terminal a case runs against: one answering its own requests, a scanner-only one (pools), or one whose snapshot is 3 days old. */
export type NegativeCaseTerminal = 'request' | 'scanner' | 'stale-snapshot';

/** What a case hands the terminal: the presentation (text or compact bytes) and, optionally, the service. */
export interface NegativeCaseInput {
  presentation: string | Uint8Array;
  serviceId?: string;
}

/**
 * The terminal's answer as a wiring sees it: a verdict (in-process, or an
 * HTTP 200), or an error (thrown in-process, an `application/problem+json`
 * over HTTP) with its one code.
 */
export interface WiredAnswer {
  kind: 'verdict' | 'problem';
  ok: boolean;
  /** The verdict's failure codes, or the problem's code. */
  codes: (UrbisErrorCode | 'INTERNAL')[];
  /** The HTTP status (HTTP wiring only). */
  status?: number;
  verdict?: TerminalVerdict;
  /** The answer as the client received it (JSON text), to scan for leaks. */
  text: string;
}

/** What a case may use: the fixture, and the terminal's requests and verification through the wiring under test. */
export interface NegativeCaseContext {
  fixture: TerminalFixture;
  /** A new request for a service, obtained through the wiring (in-process `newRequest`, or `GET /request`). */
  newRequest(args: { serviceId: string }): Promise<{ link: string; serviceId: string }>;
  /** Verification through the wiring (e.g. to present something once before replaying it). */
  verify(input: NegativeCaseInput): Promise<WiredAnswer>;
}

/** One negative case: a presentation the terminal must refuse, and the code(s) its refusal must carry. */
export interface NegativeCase {
  /** What is wrong, with its source (DESIGN §8, RFC section) where there is one. */
  name: string;
  /** Default `request`. */
  terminal?: NegativeCaseTerminal;
  make(context: NegativeCaseContext): Promise<NegativeCaseInput>;
  /** Codes that must all be among the refusal's codes (others may be there too). */
  expect: readonly UrbisErrorCode[];
}
