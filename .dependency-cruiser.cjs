/**
The layers of camtop, lowest first: base → text → logs → monitoring | feeds → config → collectors | fleet → snapshot → alerts → export, commands, demo, ui → cli.
A module imports only from its own layer or those below it. docs/architecture.md draws the same picture.
@type {import('dependency-cruiser').IConfiguration}
*/

/** A rule that keeps `from` to `allowed` within source/ (both regular expressions over paths), with its reason. */
function onlyOn(name, comment, from, allowed) {
	return {
		name, comment, severity: 'error', from: {path: from}, to: {path: '^source/', pathNot: allowed},
	};
}

/** A rule that forbids `from` to import `to`, with its reason. */
function never(name, comment, from, to) {
	return {
		name, comment, severity: 'error', from, to: {path: to},
	};
}

module.exports = {
	forbidden: [
		{
			name: 'no-cycles',
			comment: 'A cycle means neither module can be read, tested or moved without the other; type-only links count too, as they tie the types together.',
			severity: 'error',
			from: {path: '^source/'},
			to: {circular: true},
		},
		onlyOn(
			'base-is-the-bottom',
			'base/ holds the helpers every layer may use (errors, deadlines, results, ring buffers), so it can use none of them.',
			'^source/base/',
			'^source/base/',
		),
		onlyOn(
			'text-only-on-base',
			'text/ formats and cleans strings for every layer; it must not know where they come from.',
			'^source/text/',
			'^source/(base|text)/',
		),
		onlyOn(
			'logs-only-on-text',
			'logs/ parses and tails the camera app\'s log files; the library, feeds, collectors and analyze build on it, never the reverse.',
			'^source/logs/',
			'^source/(base|text|logs)/',
		),
		onlyOn(
			'monitoring-stands-alone',
			'monitoring/ is the library the camera app imports; it must not drag in collectors, Redis clients or the UI.',
			'^source/monitoring/',
			'^source/(base|text|logs|monitoring)/',
		),
		onlyOn(
			'feeds-under-collectors',
			'feeds/ turn followed logs into bounded rings of records; collectors and views read them, they read no collector.',
			'^source/feeds/',
			'^source/(base|text|logs|feeds)/',
		),
		onlyOn(
			'config-types-under-collectors',
			'config/types.ts is what collectors and alerts are told; it must not depend on either, or config and alerts import each other.',
			String.raw`^source/config/(types|checker)\.ts$`,
			String.raw`^source/(base|text)/|^source/config/(types|checker)\.ts$`,
		),
		onlyOn(
			'collectors-below-views',
			'A collector gathers one source\'s data and returns it; it never draws, prints, alerts or picks a command.',
			'^source/collectors/',
			String.raw`^source/(base|text|logs|feeds|collectors)/|^source/config/types\.ts$`,
		),
		onlyOn(
			'fleet-reads-only-prometheus',
			'fleet/ is a client of Prometheus (and of exporters\' /snapshot): it collects nothing from this box, so it needs no collector, snapshot or log reader.',
			'^source/fleet/',
			String.raw`^source/(base|text|fleet)/|^source/config/types\.ts$`,
		),
		never(
			'snapshot-below-alerts',
			'The snapshot and its checks are what every view and the alerts read; they read no view and no alert.',
			{path: '^source/snapshot/'},
			'^source/(alerts|export|commands|demo|ui|cli)',
		),
		never(
			'alerts-below-views',
			'Alerts judge observations; the exporter, commands and the UI show their state, never the reverse.',
			{path: '^source/alerts/'},
			'^source/(export|commands|demo|ui|cli)',
		),
		never(
			'views-side-by-side',
			'export, commands, demo and ui are separate front ends; one never reaches into another (cli.ts picks between them).',
			{path: '^source/(export|commands|demo)/'},
			'^source/(ui/|cli)',
		),
		never(
			'react-only-in-ui',
			'Only the full-screen monitor draws with Ink; every other command starts without parsing React.',
			{path: '^source/', pathNot: String.raw`^source/(ui/|cli\.ts$)`},
			'(^|/)node_modules/(ink|react|react-dom|react-reconciler|ink-[^/]+)/',
		),
	],
	options: {
		doNotFollow: {path: 'node_modules'},
		tsPreCompilationDeps: true,
		tsConfig: {fileName: 'tsconfig.json'},
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default', 'types'],
			extensions: ['.ts', '.tsx', '.js', '.d.ts'],
		},
	},
};
