/**
Bad input from the person at the keyboard: the CLI prints the message as one line and exits 2. Its own module, below
config and the alert rules' parser, which both throw it: the two no longer import each other for it.
*/
export class UsageError extends Error {
	override name = 'UsageError';
}
