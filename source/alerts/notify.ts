import {spawn, type ChildProcess} from 'node:child_process';
import path from 'node:path';
import {errorMessage} from '../base/errors.js';
import type {AlertEvent} from './engine.js';
import type {AlertTarget} from './rules.js';

export type NotifierOptions = {
	now?: () => number;
	/** A webhook that has not answered by then has failed this attempt, ms. */
	timeoutMs?: number;
	/** A command still running by then is killed (SIGKILL) and has failed this attempt, ms. */
	commandTimeoutMs?: number;
	/** Attempts per event and target, the first included, before the event is dropped. */
	maxAttempts?: number;
	/** Wait before the first retry, ms; doubled before each next one. */
	backoffMs?: number;
	/** Events waiting per target beyond this drop the oldest. */
	maxQueue?: number;
};

export type NotifierStats = {
	sent: number;
	/** Failed attempts, retried ones included. */
	failed: number;
	/** Events given up on: out of attempts, or pushed out of a full queue. */
	dropped: number;
	/** Events waiting or being delivered. */
	pending: number;
	/** When lastError() happened, epoch ms. */
	lastErrorAt: number | null;
};

type Attempt = {ok: true} | {ok: false; error: string};

type Queue = {
	target: AlertTarget;
	waiting: AlertEvent[];
	busy: boolean;
};

/** maxQueue: events waiting per target; 60 cameras going OFFLINE at once is one evaluation's worth, so room for many. */
const DEFAULTS = {
	timeoutMs: 5000, commandTimeoutMs: 10_000, maxAttempts: 6, backoffMs: 1000, maxQueue: 500,
};

/**
Delivers alert events to webhooks and commands in the background: per target one at a time and in order, retried with
doubling back-off, from a bounded queue. notify() never waits and nothing it starts can reject unhandled.
*/
export class Notifier {
	readonly #options: Required<NotifierOptions>;
	readonly #queues = new Map<string, Queue>();
	/** Aborts in-flight requests on close(). */
	readonly #closing = new AbortController();
	readonly #children = new Set<ChildProcess>();
	readonly #sleeps = new Set<{timer: NodeJS.Timeout; wake: () => void}>();
	#sent = 0;
	#failed = 0;
	#dropped = 0;
	#inFlight = 0;
	#lastError: string | null = null;
	#lastErrorAt: number | null = null;

	constructor(options: NotifierOptions = {}) {
		this.#options = {now: Date.now, ...DEFAULTS, ...withoutUndefined(options)};
	}

	/** Queues `event` for each target and returns at once. */
	notify(event: AlertEvent, targets: readonly AlertTarget[]): void {
		if (this.#closing.signal.aborted) {
			return;
		}

		for (const target of targets) {
			const key = JSON.stringify(target);
			let queue = this.#queues.get(key);
			if (queue === undefined) {
				queue = {target, waiting: [], busy: false};
				this.#queues.set(key, queue);
			}

			queue.waiting.push(event);
			if (queue.waiting.length > this.#options.maxQueue) {
				queue.waiting.shift();
				this.#dropped++;
			}

			if (!queue.busy) {
				void this.#drain(queue);
			}
		}
	}

	stats(): NotifierStats {
		const waiting = [...this.#queues.values()].reduce((sum, queue) => sum + queue.waiting.length, 0);
		return {
			sent: this.#sent, failed: this.#failed, dropped: this.#dropped, pending: waiting + this.#inFlight, lastErrorAt: this.#lastErrorAt,
		};
	}

	/** The newest failure, naming its target without secrets: `webhook hooks.slack.com: HTTP 500`. */
	lastError(): string | null {
		return this.#lastError;
	}

	/**
	Stops for good: no more attempts, in-flight requests aborted, running commands killed. With `flushMs`, what is
	queued (a `resolved` raised just before a SIGTERM, say) first gets that long to go out.
	*/
	async close({flushMs = 0}: {flushMs?: number} = {}): Promise<void> {
		if (flushMs > 0) {
			const deadline = this.#options.now() + flushMs;
			while (this.stats().pending > 0 && this.#options.now() < deadline && !this.#closing.signal.aborted) {
				// eslint-disable-next-line no-await-in-loop -- polls, one wait after the other
				await new Promise(resolve => {
					setTimeout(resolve, 20);
				});
			}
		}

		this.#closing.abort();
		for (const sleep of this.#sleeps) {
			clearTimeout(sleep.timer);
			sleep.wake();
		}

		this.#sleeps.clear();
		for (const child of this.#children) {
			child.kill('SIGKILL');
		}
	}

	async #drain(queue: Queue): Promise<void> {
		queue.busy = true;
		try {
			while (!this.#closing.signal.aborted) {
				const event = queue.waiting.shift();
				if (event === undefined) {
					break;
				}

				this.#inFlight++;
				try {
					// eslint-disable-next-line no-await-in-loop -- a target's events go out one at a time, in order
					await this.#deliverWithRetries(queue.target, event);
				} finally {
					this.#inFlight--;
				}
			}
		} catch (error) {
			// Never expected (attempts return their failures), but a background loop must not reject unseen.
			this.#recordError(`notifier: ${errorMessage(error)}`);
		} finally {
			queue.busy = false;
		}
	}

	async #deliverWithRetries(target: AlertTarget, event: AlertEvent): Promise<void> {
		const {maxAttempts, backoffMs} = this.#options;
		for (let attempt = 1; attempt <= maxAttempts; attempt++) {
			// eslint-disable-next-line no-await-in-loop -- each attempt waits for the one before to fail
			const result = target.kind === 'webhook' ? await this.#post(target, event) : await this.#run(target, event);
			if (this.#closing.signal.aborted) {
				return;
			}

			if (result.ok) {
				this.#sent++;
				return;
			}

			this.#failed++;
			this.#recordError(`${targetName(target)}: ${result.error}`);
			if (attempt < maxAttempts) {
				// eslint-disable-next-line no-await-in-loop -- the back-off between attempts
				await this.#sleep(backoffMs * (2 ** (attempt - 1)));
				if (this.#closing.signal.aborted) {
					return;
				}
			}
		}

		this.#dropped++;
	}

	async #post(target: Extract<AlertTarget, {kind: 'webhook'}>, event: AlertEvent): Promise<Attempt> {
		const {timeoutMs} = this.#options;
		try {
			// The body is JSON whatever the config's headers say (in whatever case they spell Content-Type).
			const headers = new Headers(target.headers);
			headers.set('content-type', 'application/json');
			const response = await fetch(target.url, {
				method: 'POST',
				headers,
				body: JSON.stringify(event),
				signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.#closing.signal]),
			});
			// Read to the end so the connection goes back to the pool; a body cut short changes nothing.
			try {
				await response.arrayBuffer();
			} catch {}

			return response.ok ? {ok: true} : {ok: false, error: `HTTP ${response.status}`};
		} catch (error) {
			if ((error as Error).name === 'TimeoutError') {
				return {ok: false, error: `no answer within ${timeoutMs} ms`};
			}

			// undici's own message is `fetch failed`; the cause says why (ECONNREFUSED) and carries host:port, never the path.
			const {cause} = (error as {cause?: unknown});
			const code = (cause as NodeJS.ErrnoException | undefined)?.code;
			return {ok: false, error: code ?? (cause === undefined ? 'request failed' : errorMessage(cause)).replaceAll(target.url, '<url>')};
		}
	}

	async #run(target: Extract<AlertTarget, {kind: 'command'}>, event: AlertEvent): Promise<Attempt> {
		const {commandTimeoutMs} = this.#options;
		return new Promise(resolve => {
			let child: ChildProcess;
			try {
				child = spawn(target.argv[0]!, target.argv.slice(1), {stdio: 'ignore', env: {...process.env, ...alertEnvironment(event)}});
			} catch (error) {
				resolve({ok: false, error: errorMessage(error)});
				return;
			}

			this.#children.add(child);
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				child.kill('SIGKILL');
			}, commandTimeoutMs);
			const finish = (attempt: Attempt) => {
				clearTimeout(timer);
				this.#children.delete(child);
				resolve(attempt);
			};

			child.once('error', error => {
				finish({ok: false, error: (error as NodeJS.ErrnoException).code ?? errorMessage(error)});
			});
			child.once('exit', (code, signal) => {
				if (timedOut) {
					finish({ok: false, error: `killed after ${commandTimeoutMs} ms`});
				} else {
					finish(code === 0 ? {ok: true} : {ok: false, error: code === null ? `killed by ${signal}` : `exit ${code}`});
				}
			});
		});
	}

	async #sleep(ms: number): Promise<void> {
		return new Promise(resolve => {
			const sleep = {
				timer: setTimeout(() => {
					this.#sleeps.delete(sleep);
					resolve();
				}, ms),
				wake: resolve,
			};
			this.#sleeps.add(sleep);
		});
	}

	#recordError(message: string): void {
		this.#lastError = message;
		this.#lastErrorAt = this.#options.now();
	}
}

/** How a target is named where people read: `webhook hooks.slack.com`, `command notify.sh` — a webhook's path is its secret. */
export function targetName(target: AlertTarget): string {
	if (target.kind === 'command') {
		return `command ${path.basename(target.argv[0] ?? '')}`;
	}

	try {
		return `webhook ${new URL(target.url).host}`;
	} catch {
		return 'webhook';
	}
}

/** The event as environment variables for a command target; null fields are empty strings. */
export function alertEnvironment(event: AlertEvent): Record<string, string> {
	return {
		CAMTOP_ALERT_STATUS: event.status,
		CAMTOP_ALERT_NAME: event.alert,
		CAMTOP_ALERT_METRIC: event.metric,
		CAMTOP_ALERT_INSTANCE: event.instance,
		CAMTOP_ALERT_SEVERITY: event.severity,
		CAMTOP_ALERT_HOST: event.host,
		CAMTOP_ALERT_VALUE: String(event.value),
		CAMTOP_ALERT_FIRE: String(event.fire),
		CAMTOP_ALERT_CLEAR: String(event.clear),
		CAMTOP_ALERT_STARTS_AT: event.startsAt,
		CAMTOP_ALERT_ENDS_AT: event.endsAt ?? '',
		CAMTOP_ALERT_DURATION_SECONDS: event.durationSeconds === null ? '' : String(event.durationSeconds),
		CAMTOP_ALERT_SUMMARY: event.summary,
		CAMTOP_ALERT_TEXT: event.text,
		CAMTOP_ALERT_JSON: JSON.stringify(event),
	};
}

/** `object` without its undefined properties: spread over DEFAULTS, an option left undefined keeps its default. */
function withoutUndefined<T extends object>(object: T): Partial<T> {
	return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
