import { isUrbisError } from '../../core/errors/urbis-error.js';
import type { WiredAnswer } from './negative-case.js';
import { describeNegativeSuite } from './negative-suite.js';

/** The negative suite, wiring 1: the terminal called in-process (`terminal.verify`; a thrown UrbisError counts as its code). */
describeNegativeSuite({
  title: 'terminal negative suite, in-process',
  wire: async ({ terminal }) => ({
    newRequest: (args) => terminal.newRequest(args),
    async verify(input): Promise<WiredAnswer> {
      try {
        const verdict = await terminal.verify(input);
        return { kind: 'verdict', ok: verdict.ok, codes: verdict.ok ? [] : verdict.failures.map((f) => f.code), verdict, text: JSON.stringify(verdict) };
      } catch (error) {
        if (!isUrbisError(error)) throw error;
        return { kind: 'problem', ok: false, codes: [error.code], text: error.message };
      }
    },
    close: async () => undefined,
  }),
});
