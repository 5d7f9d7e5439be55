/**
A collector's answer: the data, or why there is none. Collectors never throw at their callers and never print.
*/
export type Failure = {readonly ok: false; readonly error: string};
export type Result<T> = {readonly ok: true; readonly data: T} | Failure;

export function ok<T>(data: T): Result<T> {
	return {ok: true, data};
}

export function fail(error: string): Failure {
	return {ok: false, error};
}
