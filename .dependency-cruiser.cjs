/**
The layers of camtop, lowest first: base → text → logs → monitoring | feeds → config → collectors → snapshot → alerts → export, commands, demo, ui → cli.
A module imports only from its own layer or those below it. docs/architecture.md draws the same picture.
@type {import('dependency-cruiser').IConfiguration}
*/
module.exports = {
	forbidden: [
		{
			name: 'no-cycles',
			comment: 'A cycle means neither module can be read, tested or moved without the other; type-only links count too, as they tie the types together.',
			severity: 'error',
			from: {path: '^source/'},
			to: {circular: true},
		},
		{
			name: 'base-is-the-bottom',
			comment: 'base/ holds the helpers every layer may use (errors, deadlines, results, ring buffers), so it can use none of them.',
			severity: 'error',
			from: {path: '^source/base/'},
			to: {path: '^source/', pathNot: '^source/base/'},
		},
		{
			name: 'text-only-on-base',
			comment: 'text/ formats and cleans strings for every layer; it must not know where they come from.',
			severity: 'error',
			from: {path: '^source/text/'},
			to: {path: '^source/', pathNot: '^source/(base|text)/'},
		},
		{
			name: 'logs-only-on-text',
			comment: 'logs/ parses and tails the camera app\'s log files; the library, feeds, collectors and analyze build on it, never the reverse.',
			severity: 'error',
			from: {path: '^source/logs/'},
			to: {path: '^source/', pathNot: '^source/(base|text|logs)/'},
		},
		{
			name: 'monitoring-stands-alone',
			comment: 'monitoring/ is the library the camera app imports; it must not drag in collectors, Redis clients or the UI.',
			severity: 'error',
			from: {path: '^source/monitoring/'},
			to: {path: '^source/', pathNot: '^source/(base|text|logs|monitoring)/'},
		},
		{
			name: 'feeds-under-collectors',
			comment: 'feeds/ turn followed logs into bounded rings of records; collectors and views read them, they read no collector.',
			severity: 'error',
			from: {path: '^source/feeds/'},
			to: {path: '^source/', pathNot: '^source/(base|text|logs|feeds)/'},
		},
		{
			name: 'config-types-under-collectors',
			comment: 'config/types.ts is what collectors and alerts are told; it must not depend on either, or config and alerts import each other.',
			severity: 'error',
			from: {path: String.raw`^source/config/(types|checker)\.ts$`},
			to: {path: '^source/', pathNot: String.raw`^source/(base|text)/|^source/config/(types|checker)\.ts$`},
		},
		{
			name: 'collectors-below-views',
			comment: 'A collector gathers one source\'s data and returns it; it never draws, prints, alerts or picks a command.',
			severity: 'error',
			from: {path: '^source/collectors/'},
			to: {path: '^source/', pathNot: String.raw`^source/(base|text|logs|feeds|collectors)/|^source/config/types\.ts$`},
		},
		{
			name: 'snapshot-below-alerts',
			comment: 'The snapshot and its checks are what every view and the alerts read; they read no view and no alert.',
			severity: 'error',
			from: {path: '^source/snapshot/'},
			to: {path: '^source/(alerts|export|commands|demo|ui|cli)'},
		},
		{
			name: 'alerts-below-views',
			comment: 'Alerts judge observations; the exporter, commands and the UI show their state, never the reverse.',
			severity: 'error',
			from: {path: '^source/alerts/'},
			to: {path: '^source/(export|commands|demo|ui|cli)'},
		},
		{
			name: 'views-side-by-side',
			comment: 'export, commands, demo and ui are separate front ends; one never reaches into another (cli.ts picks between them).',
			severity: 'error',
			from: {path: '^source/(export|commands|demo)/'},
			to: {path: '^source/(ui/|cli)'},
		},
		{
			name: 'react-only-in-ui',
			comment: 'Only the full-screen monitor draws with Ink; every other command starts without parsing React.',
			severity: 'error',
			from: {path: '^source/', pathNot: String.raw`^source/(ui/|cli\.ts$)`},
			to: {path: '(^|/)node_modules/(ink|react|react-dom|react-reconciler|ink-[^/]+)/'},
		},
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
