// Tail-file 1.4.16 ships no types. Declared here: its documented face only (README: options, start, stop, events).
// The internals camtop overrides or reads are typed in source/logs/tail-file-adapter.ts, the one module that uses them.
declare module 'tail-file' {
	import {EventEmitter} from 'node:events';

	type TailOptions = {
		/** The file tailed when `filename` is missing at start; `${filename}.1` by default. */
		secondary?: string;
		/** Where to start: 'end' (the default), 'start', or a character offset. */
		startPos?: 'end' | 'start' | number;
		/** A new file larger than this, bytes, is tailed from its end; 0 (the default) turns that off. */
		cutoff?: number;
		/** Start even when neither the file nor the secondary one is there. */
		force?: boolean;
		/** The line separator; '\n' by default. */
		sep?: string | RegExp;
		encoding?: BufferEncoding;
	};

	/** Emits `line` (line: string), `error`, `ready` (fd), `eof` (byte offset), `skip`, `secondary` (filename) and `restart` (reason). */
	// eslint-disable-next-line unicorn/prefer-event-target -- tail-file's class is an EventEmitter
	class Tail extends EventEmitter {
		constructor(filename: string, options?: TailOptions, callback?: (line: string) => void);
		/** The file to tail, as given. */
		filename: string;
		start(filename?: string): void;
		stop(): Promise<boolean>;
	}

	export default Tail;
}
