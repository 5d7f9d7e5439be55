/** An environment variable's value, or undefined when it is unset or set to nothing (`FOO= camtop` means unset). */
export function nonEmpty(value: string | undefined): string | undefined {
	return value === undefined || value === '' ? undefined : value;
}
