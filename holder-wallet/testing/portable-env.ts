import type { TrustedIssuer } from '../../core/trust/trusted-issuer.js';
import type { HolderKeyHandles } from '../keys/holder-key-handles.js';
import type { WalletDocument } from '../store/wallet-document.js';
import type { WalletStorage } from '../store/wallet-storage.js';

/**
 * What a platform gives the portable suite (`portable-suite.ts`): its
 * storage and key-handle adapters, and real copies issued in Node. Node
 * wires the file storage and memory key handles; the browser wires
 * IndexedDB for both. Types only: browser-safe.
 */
export interface PortableEnv {
  /** Which wiring runs the case (for messages only: a case never branches on it). */
  platform: 'node' | 'browser';
  /**
   * A storage by name, empty the first time. Opening the same name again
   * gives a new adapter over the same stored bytes (what a restart or a
   * page reload sees); another name is another, independent place.
   */
  openStorage(name: string): Promise<WalletStorage>;
  /** Key handles by name, with the same "reopen" meaning as {@link openStorage}. */
  openKeyHandles(name: string): Promise<HolderKeyHandles>;
  /** Real one-time copies and what a terminal needs to verify them (built in Node, passed as JSON). */
  fixture: PresentationFixture;
}

/**
 * A wallet document holding REAL one-time SD-JWT copies (issued in Node by
 * core's test kit with node:crypto, each bound to its own extractable
 * holder key), and the public part of the terminal's snapshot. Plain JSON,
 * so the browser gets it from Node unchanged.
 */
export interface PresentationFixture {
  /** `ResidentCredential` copies in `dc+sd-jwt`, oldest first; the first one is already spent. */
  document: WalletDocument;
  /** The `vct` of the resident copies (what a DCQL query asks for). */
  residentVct: string;
  /** The issuer and its public key, as a terminal's snapshot lists them. */
  trustedIssuers: TrustedIssuer[];
  /** The copies' status list (every entry valid), by URI and size, and when it was synced. */
  status: { uri: string; size: number; syncedAt: number };
  /** The fixture's clock (seconds): copies are valid then. */
  now: number;
  /** The resident claims the copies carry (to compare disclosed values with). */
  residentClaims: Record<string, unknown>;
}

/** One case of the portable suite: the same code runs in Node and in a real browser. */
export interface PortableCase {
  /** The test title, unique in the suite. */
  name: string;
  run(env: PortableEnv): Promise<void>;
}
