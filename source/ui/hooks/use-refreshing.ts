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
Calls `read` now and then `intervalMs` after each answer, one read at a time: a slow server slows the refreshes, it
never piles them up (a refresh asked for during a read runs once, after it). A new `key` starts over, keeping
nothing of the old key's data. Answers after unmount are dropped.
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
	const loop = useRef<{running: boolean; again: boolean; timer: NodeJS.Timeout | undefined; mounted: boolean}>({
		running: false, again: false, timer: undefined, mounted: true,
	});

	useEffect(() => {
		if (!isActive) {
			return;
		}

		const {current} = loop;
		current.mounted = true;
		// A new key shows nothing of the old one's data, from the first render on.
		const fresh = {
			data: undefined, updatedAt: undefined, error: undefined, pendingSince: undefined, key,
		};
		setState(previous => (previous.key === key ? previous : fresh));
		const tick = async (): Promise<void> => {
			if (current.running) {
				current.again = true;
				return;
			}

			clearTimeout(current.timer);
			current.running = true;
			const startedAt = Date.now();
			const slow = setTimeout(() => {
				if (current.mounted) {
					setState(previous => ({...previous, pendingSince: startedAt}));
				}
			}, SLOW_READ_MS);
			let update: Partial<Refreshing<T>>;
			try {
				const data = await readRef.current();
				update = {data, updatedAt: Date.now(), error: undefined};
			} catch (error) {
				update = {error: errorMessage(error)};
			}

			clearTimeout(slow);
			current.running = false;
			if (!current.mounted) {
				return;
			}

			setState(previous => ({...previous, ...update, pendingSince: undefined}));
			if (current.again) {
				current.again = false;
				void tick();
				return;
			}

			current.timer = setTimeout(() => {
				void tick();
			}, intervalMs);
		};

		void tick();
		return () => {
			current.mounted = false;
			current.again = false;
			clearTimeout(current.timer);
		};
	}, [intervalMs, refreshToken, key, isActive]);

	return state.key === key
		? state
		: {
			data: undefined, updatedAt: undefined, error: undefined, pendingSince: undefined,
		};
}
