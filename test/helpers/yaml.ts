import {execFile} from 'node:child_process';
import {promisify} from 'node:util';

const execFileAsync = promisify(execFile);

const YAML_TO_JSON = 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding="utf-8")), sys.stdout)';

/**
A YAML file as data, for the tests of deploy/'s configs. camtop has no YAML parser of its own and needs none, so PyYAML
reads it (Debian's python3-yaml, which scripts/install-test-deps.sh installs). PyYAML follows YAML 1.1, as Prometheus'
and Alertmanager's parsers do: `on`, `yes` and `no` unquoted are booleans there too.
*/
export async function readYaml(file: string): Promise<unknown> {
	const {stdout} = await execFileAsync('python3', ['-c', YAML_TO_JSON, file]);
	return JSON.parse(stdout) as unknown;
}
