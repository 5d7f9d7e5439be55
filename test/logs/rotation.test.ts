import {describe, expect, test} from 'vitest';
import {
	atEndOfFile, backupName, backupNames, type Backup, bytesBeforeMatch, holdsWhatWasRead, howToGoOn, type LookAtBackup,
	mayHaveChanged, newestLogs, type ReadAt, unreadAfterRotation,
} from '../../source/logs/rotation.js';

/** Reads from `bytes`, counting the reads. */
function reader(bytes: Buffer): ReadAt & {reads: number} {
	const read = Object.assign((position: number, length: number) => {
		read.reads++;
		return bytes.subarray(position, position + length);
	}, {reads: 0});
	return read;
}

/** A logs directory in memory: backup name → inode and contents (or a directory). */
function backups(files: Record<string, {ino: number; text: string; isFile?: boolean}>): LookAtBackup & {looked: string[]} {
	const looked: string[] = [];
	const lookAt = (name: string, look: (backup: Backup) => Buffer | undefined) => {
		looked.push(name);
		const file = files[name];
		if (file === undefined) {
			return undefined;
		}

		const bytes = Buffer.from(file.text);
		return look({
			isFile: file.isFile ?? true, size: bytes.length, ino: file.ino, readAt: reader(bytes), rest: position => bytes.subarray(position),
		});
	};

	return Object.assign(lookAt, {looked});
}

const text = (pieces: Buffer[] | undefined) => pieces?.map(piece => piece.toString());

describe('names', () => {
	test('numbered backups, newest first: .1 … .5', () => {
		expect(backupName('logs/errors.log', 3)).toBe('logs/errors.log.3');
		expect(backupNames('errors.log')).toEqual(['errors.log.1', 'errors.log.2', 'errors.log.3', 'errors.log.4', 'errors.log.5']);
		expect(newestLogs('errors.log')).toEqual(['errors.log', 'errors.log.1']);
	});
});

describe('bytesBeforeMatch', () => {
	const file = Buffer.from('first line\nsecond line\n');
	test('the bytes before pos are the end of the fingerprint', () => {
		expect(bytesBeforeMatch(Buffer.from('line\nsecond line\n'), file.length, reader(file))).toBe(true);
		expect(bytesBeforeMatch(Buffer.from('other line\n'), file.length, reader(file))).toBe(false);
	});

	test('a fingerprint longer than pos is compared over pos bytes', () => {
		expect(bytesBeforeMatch(Buffer.from('xxxxfirst line\n'), 11, reader(file))).toBe(true);
	});

	test('nothing remembered, or pos 0, matches without a read', () => {
		const read = reader(file);
		expect(bytesBeforeMatch(Buffer.alloc(0), 11, read)).toBe(true);
		expect(bytesBeforeMatch(Buffer.from('line\n'), 0, read)).toBe(true);
		expect(read.reads).toBe(0);
	});
});

describe('holdsWhatWasRead (a copytruncate, seen from the open file)', () => {
	const old = 'a 2026-11-28 record\nthe same traceback line\n';
	const read = {pos: old.length, fingerprint: Buffer.from(old.slice(-10)), head: Buffer.from(old.slice(0, 8))};

	test('the same file, grown', () => {
		const now = Buffer.from(`${old}more\n`);
		expect(holdsWhatWasRead(now.length, read, reader(now))).toBe(true);
	});

	test('shorter than pos: truncated, decided without a read', () => {
		const now = Buffer.from('new\n');
		const readAt = reader(now);
		expect(holdsWhatWasRead(now.length, read, readAt)).toBe(false);
		expect(readAt.reads).toBe(0);
	});

	test('truncated and written past pos at once: other bytes before pos', () => {
		const now = Buffer.from('x'.repeat(old.length + 20));
		expect(holdsWhatWasRead(now.length, read, reader(now))).toBe(false);
	});

	test('truncated and written again with the same last line: another start', () => {
		const now = Buffer.from('b 2026-11-29 record\nthe same traceback line\nmore\n');
		expect(holdsWhatWasRead(now.length, read, reader(now))).toBe(false);
	});
});

describe('atEndOfFile', () => {
	const open = {size: 100, pos: 100, ino: 7};

	test('the open file grew: read on, before looking at the name', () => {
		expect(atEndOfFile({...open, size: 120}, {ino: 8, size: 50})).toBe('read-on');
	});

	test('renamed away, a new file with something in it has the name: the next file', () => {
		expect(atEndOfFile(open, {ino: 8, size: 50})).toBe('next-file');
	});

	test('renamed away and the new file still empty, or the name gone: wait on the open file', () => {
		expect(atEndOfFile(open, {ino: 8, size: 0})).toBe('wait');
		expect(atEndOfFile(open, undefined)).toBe('wait');
	});

	test('the same file, nothing new: wait', () => {
		expect(atEndOfFile(open, {ino: 7, size: 100})).toBe('wait');
	});
});

describe('mayHaveChanged (a timed look)', () => {
	const open = {size: 100, pos: 100, ino: 7};
	test('read to its end, and the name still its inode: nothing to do', () => {
		expect(mayHaveChanged(open, 7)).toBe(false);
	});

	test('grown, truncated, or the name given to another file: a read is due', () => {
		expect(mayHaveChanged({...open, size: 120}, 7)).toBe(true);
		expect(mayHaveChanged({...open, size: 0}, 7)).toBe(true);
		expect(mayHaveChanged(open, 8)).toBe(true);
	});
});

describe('unreadAfterRotation (where the lines not read yet are)', () => {
	const file = 'errors.log';
	const read = {pos: 6, ino: 7, fingerprint: Buffer.from('first\n')};

	test('renamed to .1: the rest of it, found by its inode', () => {
		const lookAt = backups({'errors.log.1': {ino: 7, text: 'first\nsecond\n'}});
		expect(text(unreadAfterRotation(file, read, 9, lookAt))).toEqual(['second\n']);
	});

	test('rotated twice more before the follower looked: the rest of .3, then .2 and .1 whole, oldest first', () => {
		const lookAt = backups({
			'errors.log.1': {ino: 11, text: 'fourth\n'},
			'errors.log.2': {ino: 10, text: 'third\n'},
			'errors.log.3': {ino: 7, text: 'first\nsecond\n'},
		});
		expect(text(unreadAfterRotation(file, read, 12, lookAt))).toEqual(['second\n', 'third\n', 'fourth\n']);
	});

	test('stops at the file still open (it is read on through its descriptor), and at a gap', () => {
		const open = backups({
			'errors.log.1': {ino: 12, text: 'open\n'},
			'errors.log.2': {ino: 7, text: 'first\nsecond\n'},
		});
		expect(text(unreadAfterRotation(file, read, 12, open))).toEqual(['second\n']);
		const gap = backups({
			'errors.log.1': {ino: 11, text: 'fourth\n'},
			'errors.log.3': {ino: 7, text: 'first\nsecond\n'},
		});
		expect(text(unreadAfterRotation(file, read, 12, gap))).toEqual(['second\n']);
	});

	test('copytruncate (inode unknown): found by the bytes before pos', () => {
		const lookAt = backups({
			'errors.log.1': {ino: 20, text: 'other\nlines\n'},
			'errors.log.2': {ino: 21, text: 'first\nsecond\n'},
		});
		expect(text(unreadAfterRotation(file, {...read, ino: undefined}, 7, lookAt))).toEqual(['second\n', 'other\nlines\n']);
	});

	test('not a regular file, or shorter than pos: not the file read', () => {
		const lookAt = backups({
			'errors.log.1': {ino: 7, text: 'first\nsecond\n', isFile: false},
			'errors.log.2': {ino: 7, text: 'fir'},
		});
		expect(unreadAfterRotation(file, read, 9, lookAt)).toBeUndefined();
		expect(lookAt.looked).toEqual(backupNames(file));
	});

	test('nothing to know it by (inode unknown, nothing read): no look at all', () => {
		const lookAt = backups({'errors.log.1': {ino: 7, text: 'first\nsecond\n'}});
		expect(unreadAfterRotation(file, {pos: 0, ino: undefined, fingerprint: Buffer.alloc(0)}, 9, lookAt)).toBeUndefined();
		expect(lookAt.looked).toEqual([]);
	});
});

describe('howToGoOn', () => {
	const backfillBytes = 1000;
	test('seen missing, back and short: every line is new', () => {
		expect(howToGoOn({sawMissing: true, resumeIno: undefined}, {ino: 7, size: 1000}, backfillBytes)).toBe('whole');
	});

	test('the first start, or back long, or another file now and a long one: the last records', () => {
		expect(howToGoOn({sawMissing: false, resumeIno: undefined}, {ino: 7, size: 10}, backfillBytes)).toBe('last-records');
		expect(howToGoOn({sawMissing: true, resumeIno: undefined}, {ino: 7, size: 1001}, backfillBytes)).toBe('last-records');
		expect(howToGoOn({sawMissing: false, resumeIno: 6}, {ino: 7, size: 1001}, backfillBytes)).toBe('last-records');
	});

	test('the same file, or another one and short: where it stopped', () => {
		expect(howToGoOn({sawMissing: false, resumeIno: 7}, {ino: 7, size: 5000}, backfillBytes)).toBe('resume');
		expect(howToGoOn({sawMissing: true, resumeIno: 6}, {ino: 7, size: 10}, backfillBytes)).toBe('resume');
	});
});
