/**
 * Cozystack's domain data beside the repository (`../shared`). Tests read the committed copies
 * (test/fixtures/, charts/) so that the repository alone runs them; ../shared only serves to show
 * that a copy has not drifted from its source.
 */
import * as fs from 'fs';
import * as path from 'path';

export const SHARED_DIR = path.resolve(__dirname, '..', '..', '..', 'shared');

/**
 * A comparison of a committed copy with `../shared/<rel>`. Without ../shared the comparison
 * cannot run, so the test fails and says why (as test/chart-data.test.ts does): it never passes
 * unchecked and never skips.
 */
export function testAgainstShared(title: string, rel: string, check: (sharedPath: string) => void): void {
  const p = path.join(SHARED_DIR, rel);
  test(title, () => {
    if (!fs.existsSync(p)) {
      throw new Error(`${p} is absent, so the committed copy cannot be compared with its source. Check the repository out beside ../shared.`);
    }
    check(p);
  });
}
