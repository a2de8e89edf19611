import { describe, expect, it } from '@jest/globals';
import { parseListSpecs } from './list-specs.js';

describe('parseListSpecs', () => {
  it('reads <listId>=<uri> pairs, ignoring blanks around commas', () => {
    expect(parseListSpecs(' 0=http://127.0.0.1:4001/status/0, ,7=https://oviedo.example/status/7 ')).toEqual([
      { listId: 0, uri: 'http://127.0.0.1:4001/status/0' },
      { listId: 7, uri: 'https://oviedo.example/status/7' },
    ]);
  });

  it.each(['', ' , ', '=http://x/status/0', 'a=http://x/status/0', '0=ftp://x/status/0', '0=http://x/a b', '1234567890=http://x/s', '0'])('refuses %p with INVALID_ARGUMENT', (text) => {
    expect(() => parseListSpecs(text)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
