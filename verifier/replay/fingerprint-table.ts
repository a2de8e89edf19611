import { UrbisError } from '../../core/errors/urbis-error.js';
import { FINGERPRINT_WORDS } from './replay-fingerprint.js';

const INITIAL_SLOTS = 1024;
const EMPTY = -1;
/** Largest expiry a slot holds (uint32 seconds: year 2106). Later expiries are clamped, which only refuses longer. */
export const MAX_EXPIRY = 0xffffffff;

/**
 * The replay cache's memory: fingerprints (4 × uint32) and expiries (uint32
 * epoch seconds) in a ring of slots kept in insertion order, plus an
 * open-addressing index (linear probing, backward-shift deletion, load ≤ ½)
 * from fingerprint to slot. 28 bytes per entry once the ring has reached
 * capacity (16 fingerprint + 4 expiry + 2 × 4 index), all in typed arrays
 * outside the JavaScript heap; nothing else is kept about a key.
 *
 * The ring starts small and doubles up to `capacity`. When full, the oldest
 * entry is dropped: with a fixed acceptance window the oldest is also the
 * first to expire, so a replay can only slip through if more than `capacity`
 * presentations are accepted within one window. Expired entries are dropped
 * from the old end as time passes them (an expired entry behind a younger
 * one with a later expiry waits its turn but never answers `has`).
 */
export class FingerprintTable {
  private readonly _capacity: number;
  private _slots: number; // ring length, ≤ capacity
  private _fingerprints: Uint32Array; // _slots × 4
  private _expiries: Uint32Array; // _slots
  private _index: Int32Array; // power of two ≥ 2 × _slots; ring slot or EMPTY
  private _mask: number;
  private _head = 0; // oldest slot
  private _count = 0;
  private _evicted = 0;

  /**
   * @throws UrbisError `INVALID_ARGUMENT` unless `capacity` is an integer from 1 to 2^28.
   */
  constructor({ capacity }: { capacity: number }) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2 ** 28) {
      throw new UrbisError('INVALID_ARGUMENT', 'capacity must be an integer from 1 to 2^28');
    }
    this._capacity = capacity;
    this._slots = Math.min(capacity, INITIAL_SLOTS);
    this._fingerprints = new Uint32Array(this._slots * FINGERPRINT_WORDS);
    this._expiries = new Uint32Array(this._slots);
    this._index = new Int32Array(indexSizeFor(this._slots)).fill(EMPTY);
    this._mask = this._index.length - 1;
  }

  /** Entries held (an expired one waiting behind a younger one still counts). */
  get size(): number {
    return this._count;
  }

  /** Most entries held at once. */
  get capacity(): number {
    return this._capacity;
  }

  /** Live entries dropped to make room (each one a replay that could have slipped through). */
  get evicted(): number {
    return this._evicted;
  }

  /** Bytes of the typed arrays held now. */
  get memoryBytes(): number {
    return this._fingerprints.byteLength + this._expiries.byteLength + this._index.byteLength;
  }

  /** Whether `fingerprint` is held with an expiry after `now` (epoch seconds). */
  has(fingerprint: Uint32Array, now: number): boolean {
    this.dropExpired(now);
    const slot = this._index[this._probe(fingerprint, 0)]!;
    return slot !== EMPTY && this._expiries[slot]! > now;
  }

  /**
   * Holds `fingerprint` until `expiresAt` (whole epoch seconds, ≤ {@link MAX_EXPIRY});
   * a fingerprint already held keeps the later of its two expiries. Drops the
   * oldest entry when full.
   */
  add(fingerprint: Uint32Array, expiresAt: number): void {
    let at = this._probe(fingerprint, 0);
    const found = this._index[at]!;
    if (found !== EMPTY) {
      if (expiresAt > this._expiries[found]!) this._expiries[found] = expiresAt;
      return;
    }
    if (this._count === this._slots) {
      if (this._slots < this._capacity) this._grow();
      else {
        this._dropHead();
        this._evicted++;
      }
      at = this._probe(fingerprint, 0); // the index moved under the probe
    }
    const slot = (this._head + this._count) % this._slots;
    const o = slot * FINGERPRINT_WORDS;
    for (let k = 0; k < FINGERPRINT_WORDS; k++) this._fingerprints[o + k] = fingerprint[k]!;
    this._expiries[slot] = expiresAt;
    this._count++;
    this._index[at] = slot;
  }

  /** Drops entries from the old end while they have expired at `now`; returns how many. */
  dropExpired(now: number): number {
    let dropped = 0;
    while (this._count > 0 && this._expiries[this._head]! <= now) {
      this._dropHead();
      dropped++;
    }
    return dropped;
  }

  /**
   * Calls `visit` for each entry alive at `now`, oldest first, with the
   * fingerprint at `words[offset .. offset + 4)`. `words` is the table's own
   * array: read it, never keep or change it.
   */
  forEachLive(now: number, visit: (words: Uint32Array, offset: number, expiresAt: number) => void): void {
    for (let i = 0; i < this._count; i++) {
      const slot = (this._head + i) % this._slots;
      const expiresAt = this._expiries[slot]!;
      if (expiresAt > now) visit(this._fingerprints, slot * FINGERPRINT_WORDS, expiresAt);
    }
  }

  /** The earliest expiry of the entries alive at `now`, if any. */
  earliestLiveExpiry(now: number): number | undefined {
    let earliest: number | undefined;
    this.forEachLive(now, (_words, _offset, expiresAt) => {
      if (earliest === undefined || expiresAt < earliest) earliest = expiresAt;
    });
    return earliest;
  }

  /**
   * Index position of the fingerprint at `words[offset .. offset + 4)`: where
   * it is, or else the empty position where its probe ends (where it would go).
   */
  private _probe(words: Uint32Array, offset: number): number {
    const fps = this._fingerprints;
    const w0 = words[offset]!;
    const w1 = words[offset + 1]!;
    const w2 = words[offset + 2]!;
    const w3 = words[offset + 3]!;
    let at = w0 & this._mask;
    for (;;) {
      const slot = this._index[at]!;
      if (slot === EMPTY) return at;
      const o = slot * FINGERPRINT_WORDS;
      if (fps[o] === w0 && fps[o + 1] === w1 && fps[o + 2] === w2 && fps[o + 3] === w3) return at;
      at = (at + 1) & this._mask;
    }
  }

  private _insert(slot: number): void {
    let at = this._fingerprints[slot * FINGERPRINT_WORDS]! & this._mask;
    while (this._index[at] !== EMPTY) at = (at + 1) & this._mask;
    this._index[at] = slot;
  }

  private _dropHead(): void {
    const head = this._head;
    this._removeFromIndex(this._probe(this._fingerprints, head * FINGERPRINT_WORDS));
    this._head = (head + 1) % this._slots;
    this._count--;
  }

  /** Backward-shift deletion: keeps every probe chain unbroken without tombstones. */
  private _removeFromIndex(hole: number): void {
    const index = this._index;
    const mask = this._mask;
    index[hole] = EMPTY;
    let at = hole;
    for (;;) {
      at = (at + 1) & mask;
      const slot = index[at]!;
      if (slot === EMPTY) return;
      const home = this._fingerprints[slot * FINGERPRINT_WORDS]! & mask;
      // Move the entry into the hole unless its home lies cyclically in (hole, at].
      const stays = hole <= at ? hole < home && home <= at : hole < home || home <= at;
      if (!stays) {
        index[hole] = slot;
        index[at] = EMPTY;
        hole = at;
      }
    }
  }

  /** Doubles the ring (up to capacity), laying the entries out oldest first from slot 0, and rebuilds the index. */
  private _grow(): void {
    const slots = Math.min(this._capacity, this._slots * 2);
    const fingerprints = new Uint32Array(slots * FINGERPRINT_WORDS);
    const expiries = new Uint32Array(slots);
    for (let i = 0; i < this._count; i++) {
      const from = (this._head + i) % this._slots;
      for (let k = 0; k < FINGERPRINT_WORDS; k++) fingerprints[i * FINGERPRINT_WORDS + k] = this._fingerprints[from * FINGERPRINT_WORDS + k]!;
      expiries[i] = this._expiries[from]!;
    }
    this._slots = slots;
    this._fingerprints = fingerprints;
    this._expiries = expiries;
    this._head = 0;
    const size = indexSizeFor(slots);
    if (size !== this._index.length) {
      this._index = new Int32Array(size);
      this._mask = size - 1;
    }
    this._index.fill(EMPTY);
    for (let slot = 0; slot < this._count; slot++) this._insert(slot);
  }
}

/** Smallest power of two ≥ 2 × slots (load factor ≤ ½ keeps linear probes short). */
function indexSizeFor(slots: number): number {
  let size = 2;
  while (size < slots * 2) size *= 2;
  return size;
}
