import {useEffect, useRef, useState} from 'react';
import {errorMessage} from '../../base/errors.js';

export type Refreshing<T> = {
	/** The last answer, kept while later reads fail: a slow or down server never blanks the screen. */
	readonly data: T | undefined;
	/** When `data` came, ms since the epoch. */
	readonly updatedAt: number | undefined;
	/** Why the last read failed; undefined once one succeeds. */
	readonly error: string | undefined;
	/**
	When the read under way began, ms since the epoch, once it has taken SLOW_READ_MS; undefined between reads and
	while a read is quick (so a quick read costs one render, when its answer comes).
	*/
	readonly pendingSince: number | undefined;
};

/**
Calls `read` now and then `intervalMs` after each answer, one read of a key at a time: a slow server slows the
refreshes, it never piles them up (a refresh asked for during a read runs once, after it). A new `key` starts at once
and shows nothing of the old key's data, not even an answer to a read of the old key still under way. Answers after
unmount are dropped.
*/
/** A read that takes longer than this is shown as under way, ms: below it, a badge would only flicker. */
export const SLOW_READ_MS = 1000;

export type RefreshingOptions = {
	intervalMs: number;
	/** Bumping it reads at once (the `r` key). */
	refreshToken: number;
	/** What is read (a box's instance): a new key starts over. */
	key?: string;
	isActive?: boolean;
};

export function useRefreshing<T>(read: () => Promise<T>, {intervalMs, refreshToken, key = '', isActive = true}: RefreshingOptions): Refreshing<T> {
	const [state, setState] = useState<Refreshing<T> & {key: string}>({
		data: undefined, updatedAt: undefined, error: undefined, pendingSince: undefined, key,
	});
	const readRef = useRef(read);
	readRef.current = read;
	// The read under way, whichever run of the effect started it: a later run for the same key waits for it rather than
	// start a second one, so `r` pressed while Prometheus is slow never piles reads up.
	const shared = useRef<{inFlight: Promise<unknown> | undefined; key: string}>({inFlight: undefined, key});

	useEffect(() => {
		if (!isActive) {
			return;
		}

		// This run's own: once it is cleaned up (a refresh, another key, unmount), nothing it reads is shown.
		let cancelled = false;
		let timer: NodeJS.Timeout | undefined;
		const sameKey = shared.current.key === key;
		shared.current.key = key;
		// A new key shows nothing of the old one's data, from the first render on.
		const fresh = {
			data: undefined, updatedAt: undefined, error: undefined, pendingSince: undefined, key,
		};
		setState(previous => (previous.key === key ? previous : fresh));
		const tick = async (first: boolean): Promise<void> => {
			const startedAt = Date.now();
			const slow = setTimeout(() => {
				if (!cancelled) {
					setState(previous => ({...previous, pendingSince: startedAt}));
				}
			}, SLOW_READ_MS);
			// Another key's read is left to finish unseen: this key's starts at once.
			if (first && sameKey) {
				await shared.current.inFlight;
			}

			if (cancelled) {
				clearTimeout(slow);
				return;
			}

			const reading = readRef.current().then(
				(data): Partial<Refreshing<T>> => ({data, updatedAt: Date.now(), error: undefined}),
				(error: unknown): Partial<Refreshing<T>> => ({error: errorMessage(error)}),
			);
			shared.current.inFlight = reading;
			const update = await reading;
			clearTimeout(slow);
			if (shared.current.inFlight === reading) {
				shared.current.inFlight = undefined;
			}

			if (cancelled) {
				return;
			}

			setState(previous => ({...previous, ...update, pendingSince: undefined}));
			timer = setTimeout(() => {
				void tick(false);
			}, intervalMs);
		};

		void tick(true);
		return () => {
			cancelled = true;
			clearTimeout(timer);
		};
	}, [intervalMs, refreshToken, key, isActive]);

	return state.key === key
		? state
		: {
			data: undefined, updatedAt: undefined, error: undefined, pendingSince: undefined,
		};
}
