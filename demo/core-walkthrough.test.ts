import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('npm run demo (core walkthrough)', () => {
  it('runs end to end and prints the verdict of each step', async () => {
    const { stdout } = await promisify(execFile)(join(root, 'node_modules', '.bin', 'tsx'), ['demo/core-walkthrough.ts'], { cwd: root, timeout: 60_000 });
    const verdicts = stdout.split('\n').filter((line) => /^\s+(terminal|library): /.test(line)).map((line) => line.trim());
    expect(verdicts).toEqual([
      'terminal: ACCEPTED {"age_over_18":true}',
      'terminal: REJECTED replay:KB_REPLAYED',
      'library: REJECTED key-binding:KB_AUD_MISMATCH',
      'terminal: ACCEPTED {"age_over_18":true}',
      'terminal: REJECTED status:STATUS_REVOKED',
      'terminal: REJECTED key-binding:KB_SD_HASH_MISMATCH, disclosures:DISCLOSURE_ALTERED, replay:KB_REPLAYED',
    ]);
    expect(stdout).toContain('base64url segments shared: 2, the JOSE headers every copy has (dc+sd-jwt, kb+jwt)');
  }, 90_000);
});
