import { describe, expect, it } from '@jest/globals';
import { checkTerminalId } from './terminal-id.js';

describe('checkTerminalId', () => {
  it.each(['urbis:terminal:gijon-pool-1', 'urn:urbis:terminal:gijon-bus-12', 'urbis:terminal:a', `urbis:terminal:${'a'.repeat(128)}`, 'urbis:terminal:x.y_z:1'])('takes %s', (id) => {
    expect(checkTerminalId(id)).toBe(id);
  });

  it.each<unknown>(['', 'gijon-pool-1', 'urbis:terminal:', 'urbis:terminal:-x', 'urbis:terminal:a b', `urbis:terminal:${'a'.repeat(129)}`, 'https://x.example', 'urbis:terminal:é', 7, null])(
    'refuses %p with CONFIG_INVALID, not repeating it',
    (id) => {
      expect(() => checkTerminalId(id)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: 'the terminal id is not urbis:terminal:<id>' }));
    },
  );
});
