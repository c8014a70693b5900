import { relativeInside } from '../src/relative-path';

describe('relativeInside', () => {
  it.each([
    ['/w', 'a.ss', 'a.ss'],
    ['/w', '/w/s/a.ss', 's/a.ss'],
    ['/w', '..old.ss', '..old.ss'],
    ['/w', '/w/..d/x', '..d/x'],
    ['/w', '...', '...'],
  ])('%s ∋ %s → %s', (base, file, rel) => expect(relativeInside(base, file)).toBe(rel));

  it.each([['/w', '/w'], ['/w', '.'], ['/w', '..'], ['/w', '../x.ss'], ['/w', '/srv/x.ss'], ['/w', '/w2/x.ss']])('%s ∌ %s', (base, file) => {
    expect(relativeInside(base, file)).toBeUndefined();
  });
});
