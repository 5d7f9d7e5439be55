// Tail-file 1.4.16 ships no types. Declared here: its public face, and the internals GuardedTail overrides or reads
// (the version is pinned in package.json for that reason).
declare module 'tail-file' {
	import {EventEmitter} from 'node:events';

	type TailOptions = {
		startPos?: 'end' | 'start' | number;
		force?: boolean;
		secondary?: string;
		encoding?: string;
		/** Bytes per read; 4096 by default. */
		_bufsize?: number;
	};

	class Tail extends EventEmitter {
		constructor(filename: string, options?: TailOptions);
		filename: string;
		/** The file being read, null when stopped. */
		started: string | null;
		/** Next byte to read, or 'init' before the first stat. */
		pos: number | 'init';
		fd: number | 'init' | undefined;
		ino: number | null;
		reading: boolean;
		/** Set by checkDir: a change came while a read was under way. */
		readable: boolean;
		/** The fs.watch of the file's directory, made by startTail. */
		watcher: import('node:fs').FSWatcher | undefined;
		/** Decoded text not yet cut into lines. */
		txt: string;
		decoder: import('node:string_decoder').StringDecoder;
		startPos: 'end' | 'start' | number;
		start(filename?: string): void;
		stop(): Promise<boolean>;
		/** Stops at once without waiting for a pending open. */
		_stop(): void;
		setBytePos(pos: number): void;
		readStuff(): void;
		append(error: NodeJS.ErrnoException | null, bytesRead: number, buffer: Buffer): void;
		decode(chunk: Buffer | null): void;
		getLine(): void;
		onEndOfFileForTail(): void;
		/** What end of file and each line lead to: startTail points them at the ForTail handlers. */
		onEndOfFile: () => void;
		onLine: (line: string) => void;
		onLineForTail(line: string): void;
		startTail(filename: string): void;
		/** The directory watcher's change handler. */
		checkDir(type: string, name: string | null): void;
		checkDirError(error: unknown): void;
		onError(error: unknown): void;
	}

	export default Tail;
}
