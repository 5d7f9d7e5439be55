// The second half of `npm run build` (tsc checks the types and writes the declarations): camtop as one file per
// entry, every dependency inside, so an installed camtop needs no node_modules.
//   dist/camtop.mjs      the bin, which a box can also get alone and run with Node 20 (`node camtop.mjs health`)
//   dist/monitoring.mjs  the camtop/monitoring library (its types: dist/monitoring/index.d.ts, from tsc)
// No code splitting: each dynamic import() stays inside the file and is evaluated only when it is called, so
// `camtop health` never evaluates React or Ink.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const {name, version, description, bin} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

const common = {
	absWorkingDir: root,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	// Dependencies written in CommonJS (ioredis, React) call require(), which an ES module does not have.
	banner: {js: 'import {createRequire as __camtopCreateRequire} from \'node:module\';\nconst require = __camtopCreateRequire(import.meta.url);'},
	// React's production build: its development build checks and times every render, several times the CPU.
	define: {'process.env.NODE_ENV': '"production"'},
	alias: {'react-devtools-core': './scripts/stubs/react-devtools-core.mjs'},
	// Only @datadog/sketches-js's protobuf serialisation, which camtop does not use, requires it; it is not installed.
	external: ['protobufjs/minimal'],
	legalComments: 'none',
	logLevel: 'warning',
};

// analyze's worker threads run their own bundle, which the bin carries as code and starts as a data: URL
// (source/base/entry-points.ts): a thread that parsed the whole bin would hold about 6 MiB more. It has no require banner:
// a data: URL is no place to resolve from, and the one require() inside (protobufjs, above) is never called.
const {outputFiles: [analyzeWorker]} = await build({
	...common,
	banner: {},
	entryPoints: ['source/logs/analyze-worker.ts'],
	write: false,
	outfile: 'analyze-worker.mjs',
	minifyWhitespace: true,
	minifySyntax: true,
});

await Promise.all([
	build({
		...common,
		entryPoints: ['source/bin.ts'],
		outfile: 'dist/camtop.mjs',
		// A third less to read and parse at every start (≈ 30 ms and 4 MiB RSS less for `camtop --version`). Names are
		// kept: errors.log's function:line of the demo and stack traces still name their functions.
		minifyWhitespace: true,
		minifySyntax: true,
		define: {
			...common.define, CAMTOP_PACKAGE: JSON.stringify({
				name, version, description, bin,
			}), CAMTOP_ANALYZE_WORKER: JSON.stringify(analyzeWorker.text),
		},
	}),
	build({...common, entryPoints: ['source/monitoring/index.ts'], outfile: 'dist/monitoring.mjs'}),
]);
