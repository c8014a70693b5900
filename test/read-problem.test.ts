/** The words for an errno a test cannot bring about for real (too many open files, a failing disk, root's EACCES). */
import { readProblem } from '../src/read-problem';

const problem = (code: string | undefined) => readProblem(Object.assign(new Error(`${code}: it failed`), { code }), 'snapshot file');

it('says each errno in words, and what to do where there is something', () => {
  expect(problem('EACCES')).toEqual({ message: 'cannot read the snapshot file (permission denied)' });
  expect(problem('EPERM')).toEqual({ message: 'cannot read the snapshot file (permission denied)' });
  expect(problem('EMFILE')).toEqual({ message: 'cannot read the snapshot file (too many open files)', hint: 'raise the limit on open files: ulimit -n' });
  expect(problem('ENFILE').message).toBe('cannot read the snapshot file (too many open files on this system)');
  expect(problem('EIO')).toEqual({ message: 'cannot read the snapshot file (an input/output error: the disk or its file system failed)', hint: 'the system log (dmesg) may say more' });
});

it('names a code it has no words for, or the message of an error without one', () => {
  expect(problem('ENXIO')).toEqual({ message: 'cannot read the snapshot file (ENXIO)' });
  expect(readProblem(new Error('stream ended early'), 'baseline file')).toEqual({ message: 'cannot read the baseline file (stream ended early)' });
});
