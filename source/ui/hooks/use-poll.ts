import {
	useCallback, useEffect, useRef, useState,
} from 'react';

export type Polled<T> = {
	data: T | undefined;
	/** When the last answer came, epoch ms. */
	updatedAt: number | undefined;
	/** Bumped to poll at once (the `r` key). */
	refresh: () => void;
};

export type PollOptions = {
	intervalMs: number;
	/** Nothing is polled while false: panes that are not shown cost nothing. */
	isActive?: boolean;
	/** Bumping this polls at once. */
	refreshToken?: number;
	/** Applies the answer later, together with the other panes' (see createBatcher); at once without it. */
	batch?: (update: () => void) => void;
	/** Subscribes to a source that says when it changed (a followed log): polls at once then, not only on the interval. */
	wake?: (listener: () => void) => () => void;
};

/**
Calls `poll` every `intervalMs` while active. A tick never overlaps the last one (a slow source skips ticks rather
than piling up calls; a wake-up during a tick polls once more after it), and an answer that arrives after unmount is
dropped.
*/
export function usePoll<T>(poll: () => Promise<T>, {intervalMs, isActive = true, refreshToken = 0, batch, wake}: PollOptions): Polled<T> {
	const [state, setState] = useState<{data: T | undefined; updatedAt: number | undefined}>({data: undefined, updatedAt: undefined});
	const [localToken, setLocalToken] = useState(0);
	const pollRef = useRef(poll);
	pollRef.current = poll;

	useEffect(() => {
		if (!isActive) {
			return;
		}

		// Per run of the effect: a refresh starts a new run at once instead of waiting on the old run's poll.
		let mounted = true;
		let running = false;
		let again = false;
		/** The last answer applied: a wake-up that brings the same object again is not drawn again. */
		let last: {data: T} | undefined;
		const tick = async (woken = false): Promise<void> => {
			if (running) {
				again ||= woken;
				return;
			}

			running = true;
			try {
				const data = await pollRef.current();
				if (!woken || last === undefined || !Object.is(last.data, data)) {
					last = {data};
					const update = () => {
						if (mounted) {
							setState({data, updatedAt: Date.now()});
						}
					};

					if (batch === undefined) {
						update();
					} else {
						batch(update);
					}
				}
			} finally {
				running = false;
			}

			if (again && mounted) {
				again = false;
				await tick(true);
			}
		};

		void tick();
		const timer = setInterval(() => {
			void tick();
		}, intervalMs);
		const unsubscribe = wake?.(() => {
			void tick(true);
		});
		return () => {
			mounted = false;
			clearInterval(timer);
			unsubscribe?.();
		};
	}, [intervalMs, isActive, refreshToken, localToken, wake, batch]);

	const refresh = useCallback(() => {
		setLocalToken(token => token + 1);
	}, []);

	return {...state, refresh};
}
