/**
 * The test helpers find the shared material (real ss outputs, schemas) one way, wherever a suite imports them
 * from: SOCKLINT_SHARED when set (a checkout whose ../shared is elsewhere), else ../shared beside the repository.
 */
import * as path from 'node:path';

const elsewhere = path.join(path.sep, 'elsewhere', 'shared');

/** The helpers' SHARED and CORPUS as a suite gets them with SOCKLINT_SHARED set (loaded here: they register hooks). */
function loadedWithEnv(): { shared: string[]; corpus: string } {
  const saved = process.env.SOCKLINT_SHARED;
  process.env.SOCKLINT_SHARED = elsewhere;
  try {
    let got: { shared: string[]; corpus: string } | undefined;
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const snapshot = require('./snapshot/helpers') as typeof import('./snapshot/helpers');
      const report = require('./report/helpers') as typeof import('./report/helpers');
      const e2e = require('./e2e/cli') as typeof import('./e2e/cli');
      /* eslint-enable @typescript-eslint/no-require-imports */
      got = { shared: [snapshot.SHARED, report.SHARED, e2e.SHARED], corpus: snapshot.CORPUS };
    });
    return got!;
  } finally {
    if (saved === undefined) delete process.env.SOCKLINT_SHARED;
    else process.env.SOCKLINT_SHARED = saved;
  }
}
const loaded = loadedWithEnv();

it('the corpus of the snapshot and engine suites is under SOCKLINT_SHARED, as the report and e2e suites\' SHARED is', () => {
  expect(loaded.shared).toEqual([elsewhere, elsewhere, elsewhere]);
  expect(loaded.corpus).toBe(path.join(elsewhere, 'corpus'));
});
