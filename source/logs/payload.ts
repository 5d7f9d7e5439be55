/*
The structured payloads of the seed's records, told apart by their prefix in the bytes after the record header.
Each kind is defined, written and read, in one module: event-records.ts (ISSUE, CONNECTION) and perf-record.ts.
This module picks the kind and hands the payload to its reader.

Nothing here throws: a payload that is cut, not JSON or of the wrong shape comes back as undefined (an invalid record).
*/
import {
	CONNECTION_PREFIX, isConnection, isIssue, ISSUE_PREFIX,
} from './event-records.js';
import {parseJson, startsWith} from './payload-json.js';
import {isPerf, PERF_PREFIX} from './perf-record.js';

export {startsWith} from './payload-json.js';
export {
	readConnection, readIssue, type ConnectionEvent, type IssueEvent,
} from './event-records.js';
export {
	createPerfScratch, readPerf, type PerfEvent, type PerfScratch,
} from './perf-record.js';

const PREFIX_CONNECTION = Buffer.from(CONNECTION_PREFIX);
const PREFIX_ISSUE = Buffer.from(ISSUE_PREFIX);
const PREFIX_PERF = Buffer.from(PERF_PREFIX);

export const PAYLOAD_NONE = 0;
export const PAYLOAD_CONNECTION = 1;
export const PAYLOAD_ISSUE = 2;
export const PAYLOAD_PERF = 3;

/** Which payload the message at bytes[start, end) carries, by its prefix. */
export function payloadKind(bytes: Uint8Array, start: number, end: number): number {
	switch (bytes[start]) {
		case PREFIX_CONNECTION[0]: {
			return startsWith(bytes, start, end, PREFIX_CONNECTION) ? PAYLOAD_CONNECTION : PAYLOAD_NONE;
		}

		case PREFIX_ISSUE[0]: {
			return startsWith(bytes, start, end, PREFIX_ISSUE) ? PAYLOAD_ISSUE : PAYLOAD_NONE;
		}

		case PREFIX_PERF[0]: {
			return startsWith(bytes, start, end, PREFIX_PERF) ? PAYLOAD_PERF : PAYLOAD_NONE;
		}

		default: {
			return PAYLOAD_NONE;
		}
	}
}

export const PAYLOAD_OFFSETS = {
	[PAYLOAD_CONNECTION]: PREFIX_CONNECTION.length,
	[PAYLOAD_ISSUE]: PREFIX_ISSUE.length,
	[PAYLOAD_PERF]: PREFIX_PERF.length,
} as const;

/**
The whole payload object of a PAYLOAD_* kind, every key as written, when it has the shape the readers accept (so a
record is valid here exactly when analyze counts it valid); undefined otherwise.
*/
export function readPayloadObject(kind: number, bytes: Uint8Array, start: number, end: number): Record<string, unknown> | undefined {
	const json = parseJson(bytes, start, end);
	const valid = kind === PAYLOAD_CONNECTION ? isConnection(json) : (kind === PAYLOAD_ISSUE ? isIssue(json) : kind === PAYLOAD_PERF && isPerf(json));
	return valid ? json as Record<string, unknown> : undefined;
}
