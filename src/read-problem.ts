/**
 * Why a file could not be read, in plain words, from the Node.js error's errno code: one wording for a snapshot,
 * a baseline, a rule or config file and a rules path alike, each naming what it read ("the snapshot file").
 * The caller keeps its own diagnostic code. (Writing has its own words: report/write.ts's writeProblem.)
 */

export interface ReadProblem {
  message: string;
  hint?: string;
}

/** What is said of a path that is a folder where a `noun` was expected. */
export function isAFolder(noun: string): string {
  return `is a folder, not a ${noun}`;
}

/**
 * `noun` not found; a folder; or "cannot read the `noun` (why)", why in words — the bare errno code only for a
 * code not listed here — and, where there is something to do about it, a hint.
 */
export function readProblem(e: unknown, noun: string): ReadProblem {
  const err = e as NodeJS.ErrnoException;
  const because = (reason: string, hint?: string): ReadProblem => ({ message: `cannot read the ${noun} (${reason})`, ...(hint ? { hint } : {}) });
  switch (err.code) {
    case 'ENOENT':
      return { message: `${noun} not found` };
    case 'EISDIR':
      return { message: isAFolder(noun) };
    case 'ENOTDIR':
      return because('a part of the path is a file, not a folder');
    case 'EACCES':
    case 'EPERM':
      return because('permission denied');
    case 'ELOOP':
      return because('a loop of symbolic links');
    case 'ENAMETOOLONG':
      return because('the path, or a name in it, is too long', 'a file or folder name is at most 255 bytes on most file systems');
    case 'EMFILE':
      return because('too many open files', 'raise the limit on open files: ulimit -n');
    case 'ENFILE':
      return because('too many open files on this system', 'the system\'s limit on open files is reached: close some programs, or try again');
    case 'EIO':
      return because('an input/output error: the disk or its file system failed', 'the system log (dmesg) may say more');
    default:
      return because(err.code ?? err.message);
  }
}
