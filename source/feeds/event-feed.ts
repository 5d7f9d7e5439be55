import {readConnection, readIssue} from '../logs/payload.js';
import {CONNECTION_PREFIX, ISSUE_PREFIX} from '../logs/event-records.js';
import type {RecordHeader} from '../logs/record-header.js';
import type {Result} from '../base/result.js';
import {keepStart} from '../text/keep-start.js';
import {LogFeed} from './log-feed.js';

export type ServiceState = {service: string; status: boolean; time: number; changes: number};
export type IssueCount = {issueType: string; count: number; first: number; last: number};

export type RecentEvents = {
	/** Latest CONNECTION state per service, most recent first. */
	services: ServiceState[];
	/** ISSUE records by type since the back-filled start, most frequent first. */
	issues: IssueCount[];
	/** The time span the counts cover, epoch ms [first, last] record; undefined before any. */
	span: [number, number] | undefined;
};

/** Services and issue types kept: a log full of invented names must not grow the model. */
const MAX_KEYS = 200;
/** A service or issue type is kept up to this many characters: 200 keys of 64 KiB lines would hold 13 MB. */
const MAX_KEY_CHARACTERS = 256;
/** How far back the main log is read at start for them, bytes. */
const BACKFILL_BYTES = 1024 * 1024;

/**
CONNECTION and ISSUE records of camera_system.log, live: each service's latest state (cameras, Redis) and issue
counts by type since the back-filled start.
*/
export class EventFeed {
	readonly feed: LogFeed;
	readonly #services = new Map<string, ServiceState>();
	readonly #issues = new Map<string, IssueCount>();
	#span: [number, number] | undefined;
	#cache: RecentEvents | undefined;
	readonly #since: number;
	/** ISSUE records by type, and state changes by service, stamped since this feed was made: back-fill not counted. */
	readonly liveIssues = new Map<string, number>();
	readonly liveChanges = new Map<string, number>();

	constructor(file: string, {since = Date.now(), pollMs}: {since?: number; pollMs?: number} = {}) {
		this.#since = since;
		this.feed = new LogFeed(file, {
			record: (header: RecordHeader) => {
				if (header.message.startsWith(CONNECTION_PREFIX)) {
					return this.#connection(header);
				}

				return header.message.startsWith(ISSUE_PREFIX) && this.#issue(header);
			},
			// No CONNECTION or ISSUE record has continuation lines.
			continuation: () => false,
		}, {
			backfillRecords: Number.MAX_SAFE_INTEGER, backfillBytes: BACKFILL_BYTES, notifyMs: 250, pollMs,
		});
	}

	current(): Result<RecentEvents> {
		this.#cache ??= {
			services: [...this.#services.values()].map(state => ({...state})).sort((a, b) => b.time - a.time),
			issues: [...this.#issues.values()].map(count => ({...count})).sort((a, b) => b.count - a.count || a.issueType.localeCompare(b.issueType)),
			span: this.#span,
		};
		return this.feed.result(this.#cache);
	}

	#seen(time: number): void {
		if (!Number.isNaN(time)) {
			this.#span = this.#span === undefined ? [time, time] : [Math.min(this.#span[0], time), Math.max(this.#span[1], time)];
		}
	}

	#connection(header: RecordHeader): boolean {
		const bytes = Buffer.from(header.message.slice(CONNECTION_PREFIX.length));
		const read = readConnection(bytes, 0, bytes.length);
		if (read === undefined || Number.isNaN(header.time)) {
			return false;
		}

		const event = {...read, service: keepStart(read.service, MAX_KEY_CHARACTERS)};

		this.#cache = undefined;
		this.#seen(header.time);
		const known = this.#services.get(event.service);
		if (known === undefined) {
			if (this.#services.size < MAX_KEYS) {
				this.#services.set(event.service, {
					service: event.service, status: event.status, time: header.time, changes: 0,
				});
				this.liveChanges.set(event.service, 0);
			}
		} else {
			if (known.status !== event.status) {
				known.changes++;
				if (header.time >= this.#since) {
					this.liveChanges.set(event.service, (this.liveChanges.get(event.service) ?? 0) + 1);
				}
			}

			known.status = event.status;
			known.time = header.time;
		}

		return true;
	}

	#issue(header: RecordHeader): boolean {
		const bytes = Buffer.from(header.message.slice(ISSUE_PREFIX.length));
		const read = readIssue(bytes, 0, bytes.length);
		if (read === undefined || Number.isNaN(header.time)) {
			return false;
		}

		const event = {...read, issueType: keepStart(read.issueType, MAX_KEY_CHARACTERS)};

		this.#cache = undefined;
		this.#seen(header.time);
		let count = this.#issues.get(event.issueType);
		if (count === undefined) {
			if (this.#issues.size >= MAX_KEYS) {
				return true;
			}

			count = {
				issueType: event.issueType, count: 0, first: header.time, last: header.time,
			};
			this.#issues.set(event.issueType, count);
		}

		count.count++;
		if (header.time >= this.#since) {
			this.liveIssues.set(event.issueType, (this.liveIssues.get(event.issueType) ?? 0) + 1);
		}

		count.first = Math.min(count.first, header.time);
		count.last = Math.max(count.last, header.time);
		return true;
	}
}
