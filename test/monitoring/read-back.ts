import {mkdtempSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseRecordHeader, type RecordHeader} from '../../source/logs/record-header.js';

export function temporaryDirectory(prefix = 'camtop-monitoring-'): string {
	return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A record read back: its first line parsed, and the continuation lines (a traceback) after it. */
export type ReadRecord = {line: string; header: RecordHeader; continuation: string[]};

/**
The records of one file. Throws when a line cannot belong to a record: continuation lines before the first record,
or a last line without its newline (a record cut in two).
*/
export function readRecords(file: string): ReadRecord[] {
	const text = readFileSync(file, 'utf8');
	if (text !== '' && !text.endsWith('\n')) {
		throw new Error(`${file}: the last line has no newline`);
	}

	const records: ReadRecord[] = [];
	for (const line of text.split('\n').slice(0, -1)) {
		const header = parseRecordHeader(line);
		if (header !== undefined) {
			records.push({line, header, continuation: []});
		} else if (records.length === 0) {
			throw new Error(`${file}: starts with a line that is not a record: ${JSON.stringify(line)}`);
		} else {
			records.at(-1)!.continuation.push(line);
		}
	}

	return records;
}

/** The bytes one record takes in its file. */
export function recordBytes(record: ReadRecord): number {
	return Buffer.byteLength([record.line, ...record.continuation].join('\n')) + 1;
}
