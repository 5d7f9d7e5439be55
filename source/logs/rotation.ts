/**
How the camera app's logs are rotated, and how a follower tells what happened to the file it reads, in one place:
what a rotated file is named, how a rename or a copytruncate shows, and where the lines not read yet are after one.
Decisions only: the callers stat and read, and hand the facts (or a way to read a few bytes) in.
*/
const ROTATION_SUFFIX = /^\.(?:\d{1,3}|\d{4}-\d{2}-\d{2}(?:_\d{2}(?:-\d{2}){0,2})?)(?:\.gz)?$/;

/** Numbered backups RotatingFileHandler keeps of a log (the Python tools' LOG_BACKUP_COUNT): `<file>.1` … `<file>.5`. */
export const MAX_BACKUPS = 5;
/**
Bytes a follower keeps from just before its read offset, and from the start of the file: the same bytes there mean the
same contents, bytes. The end alone is not enough: a log often ends with the same traceback line every time, and its
start holds the first record's timestamp.
*/
export const FINGERPRINT_BYTES = 1024;
/** Bytes kept from the start of a file, to know it again after a copytruncate. */
export const HEAD_BYTES = 256;

/**
Siblings of `name` left by rotation: numbered (RotatingFileHandler) or dated (TimedRotatingFileHandler), maybe gzipped.
*/
export function rotatedSiblings(name: string, directoryEntries: readonly string[]): string[] {
	const rotated = directoryEntries.filter(entry => entry.startsWith(name) && ROTATION_SUFFIX.test(entry.slice(name.length)));
	return rotated.sort((a, b) => rotationAge(a, name) - rotationAge(b, name) || b.localeCompare(a));
}

function rotationAge(entry: string, name: string): number {
	const suffix = entry.slice(name.length + 1).replace(/\.gz$/, '');
	// Numbered: .1 is the newest. Dated: the order comes from the name (newest first), so all rank alike here.
	return /^\d{1,3}$/.test(suffix) ? Number(suffix) : 0;
}

/** The name of a log's `generation`-th numbered backup: `<file>.1` is the one rotated last. */
export function backupName(file: string, generation: number): string {
	return `${file}.${generation}`;
}

/** `<file>.1` … `<file>.MAX_BACKUPS`, newest first. */
export function backupNames(file: string): string[] {
	return Array.from({length: MAX_BACKUPS}, (_, index) => backupName(file, index + 1));
}

/** The live log and the file RotatingFileHandler rotated it to last: where a log's newest records are, newest first. */
export function newestLogs(file: string): string[] {
	return [file, backupName(file, 1)];
}

/** Up to `length` bytes of a file from `position`; fewer at its end. */
export type ReadAt = (position: number, length: number) => Buffer;

/** What a follower knows of the file it was reading: where it got to, its inode if known, the bytes just before. */
export type ReadSoFar = {
	/** Byte offset read up to. */
	pos: number;
	/** Undefined after a copytruncate: the copy has another inode, the bytes before `pos` find it. */
	ino: number | undefined;
	/** The last bytes read before `pos` (at most FINGERPRINT_BYTES). */
	fingerprint: Buffer;
};

/** Whether the bytes just before `pos` are the end of `fingerprint` (an empty fingerprint, or `pos` 0, matches anything). */
export function bytesBeforeMatch(fingerprint: Buffer, pos: number, readAt: ReadAt): boolean {
	const length = Math.min(fingerprint.length, pos);
	return length === 0 || readAt(pos - length, length).equals(fingerprint.subarray(-length));
}

/**
Whether an open file of `size` bytes still holds what was read of it up to `pos`. Not after a copytruncate, even one
followed at once by more bytes than were read: the file is shorter than `pos` (truncated), or the bytes before `pos`
or at its start are others. The bytes are read only when the size leaves it open.
*/
export function holdsWhatWasRead(size: number, read: {pos: number; fingerprint: Buffer; head: Buffer}, readAt: ReadAt): boolean {
	return size >= read.pos && bytesBeforeMatch(read.fingerprint, read.pos, readAt) && readAt(0, read.head.length).equals(read.head);
}

/**
What a follower does once it has read its open file to the end (and found it still holds what was read):
- `read-on`: the open file grew meanwhile: lines written before a rename, or since.
- `next-file`: renamed away, and a new file with something in it has the name: the rest of the old one, then the new
  one from its start.
- `wait`: nothing new; or the name is gone (deleted, renamed with nothing in its place yet) or is an empty new file:
  stay on the open file until something appears.
*/
export type AtEndOfFile = 'read-on' | 'next-file' | 'wait';

/** `open`: the file read, by its descriptor; `named`: what the log's name is now, undefined when it is gone. */
export function atEndOfFile(open: {size: number; pos: number; ino: number}, named: {ino: number; size: number} | undefined): AtEndOfFile {
	if (open.size > open.pos) {
		return 'read-on';
	}

	return named !== undefined && named.ino !== open.ino && named.size > 0 ? 'next-file' : 'wait';
}

/**
Whether a followed file may have changed since it was read to `pos` — grown, truncated, or its name given to another
file — so that a read is due (the read's end of file then sorts out which). Unchanged: the open file is `pos` bytes
long and the name is still its inode.
*/
export function mayHaveChanged(open: {size: number; pos: number; ino: number}, namedIno: number): boolean {
	return open.size !== open.pos || namedIno !== open.ino;
}

/** A backup opened for a look: its stats, and its bytes read through the same descriptor. */
export type Backup = {
	isFile: boolean;
	size: number;
	ino: number;
	readAt: ReadAt;
	/** Its bytes from `position` to its end (the caller may cap how many). */
	rest(position: number): Buffer;
};

/**
Opens the backup `name`, hands it to `look` and closes it again; undefined when it is not there or cannot be read.
One descriptor for the stat and the read: the names move on at every rotation, a file once opened does not.
*/
export type LookAtBackup = (name: string, look: (backup: Backup) => Buffer | undefined) => Buffer | undefined;

/**
What a follower did not read of a log rotated under it, oldest first: the rest after `pos` of the file it was reading
— now some backup `<file>.k`, found by its inode after a rename, by the bytes before `pos` after a copytruncate — then
the whole of every newer backup `.k-1` … `.1`, when more rotations came before it looked (up to MAX_BACKUPS). It stops
at the file still open (`openIno`): that one is read on through its descriptor. Undefined when the file read is not
among the backups, or when nothing is known to find it by.
*/
export function unreadAfterRotation(file: string, read: ReadSoFar, openIno: number | undefined, lookAt: LookAtBackup): Buffer[] | undefined {
	if (read.ino === undefined && read.fingerprint.length === 0) {
		return undefined;
	}

	const names = backupNames(file);
	for (const [index, name] of names.entries()) {
		const rest = lookAt(name, backup => isTheFileRead(backup, read) ? backup.rest(read.pos) : undefined);
		if (rest === undefined) {
			continue;
		}

		const pieces = [rest];
		for (const newer of names.slice(0, index).reverse()) {
			const whole = lookAt(newer, backup => backup.isFile && backup.ino !== openIno ? backup.rest(0) : undefined);
			if (whole === undefined) {
				break;
			}

			pieces.push(whole);
		}

		return pieces;
	}

	return undefined;
}

/** Whether `backup` is the file read up to `read.pos`: a regular file at least that long, with its inode, or its bytes before `pos`. */
function isTheFileRead(backup: Backup, read: ReadSoFar): boolean {
	if (!backup.isFile || backup.size < read.pos) {
		return false;
	}

	return read.ino === undefined ? bytesBeforeMatch(read.fingerprint, read.pos, backup.readAt) : backup.ino === read.ino;
}

/**
How a follower goes on when it (re)starts on a log:
- `whole`: it saw the log missing and now it is back, short: every line is new (it was created, or rotated in, while
  the follower waited); so is every backup that was not there then.
- `last-records`: the first start, or another file now and a long one: its last records only.
- `resume`: where it stopped, on the same inode; or, another file now and a short one, the rest of the old file (found
  among the backups) and then the new one whole.
*/
export type GoOn = 'whole' | 'last-records' | 'resume';

export function howToGoOn(before: {sawMissing: boolean; resumeIno: number | undefined}, now: {ino: number; size: number}, backfillBytes: number): GoOn {
	if (before.sawMissing && before.resumeIno === undefined && now.size <= backfillBytes) {
		return 'whole';
	}

	return before.resumeIno === undefined || (before.resumeIno !== now.ino && now.size > backfillBytes) ? 'last-records' : 'resume';
}
