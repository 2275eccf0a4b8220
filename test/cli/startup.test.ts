/**
 * `securebank --help` and `--version` must not load Ink, React or SQLite (issue 4: start-up within
 * 2x of `node -e 0`; the timing itself is measured by `npm run bench`, this checks the cause).
 * A module-resolution hook records every module the process loads.
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {builtCli, requireBuild} from '../helpers/bank-fixtures.js';

const directory = mkdtempSync(join(tmpdir(), 'securebank-startup-'));
afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

function loadedModules(args: readonly string[]): string[] {
	requireBuild();
	const log = join(directory, `loaded-${args.join('-')}.txt`);
	const hooks = join(directory, 'hooks.mjs');
	writeFileSync(
		hooks,
		String.raw`import {appendFileSync} from 'node:fs';
export async function resolve(specifier, context, next) {
	const result = await next(specifier, context);
	appendFileSync(${JSON.stringify(log)}, result.url + '\n');
	return result;
}
`,
	);
	const register = join(directory, 'register.mjs');
	writeFileSync(
		register,
		`import {register} from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
	);
	writeFileSync(log, '');
	const result = spawnSync(
		process.execPath,
		['--import', pathToFileURL(register).href, builtCli, ...args],
		{encoding: 'utf8'},
	);
	expect(result.status).toBe(0);
	return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe('start-up', () => {
	for (const flag of ['--help', '--version']) {
		it(`${flag} loads neither Ink, React nor SQLite`, () => {
			const modules = loadedModules([flag]);
			expect(modules.some((url) => url.endsWith('/dist/cli.js'))).toBe(true);
			// Not even the argument parser: both are answered before anything is imported.
			expect(modules.filter((url) => url.includes('/node_modules/'))).toEqual([]);
			expect(
				modules.filter((url) => /\/node_modules\/(ink|react|better-sqlite3)\//.test(url)),
			).toEqual([]);
			expect(modules.filter((url) => /\/source\/(ui|bank|net)\//.test(url))).toEqual([]);
		});
	}

	it('the hook records what a command loads, so the checks above can fail', () => {
		// `lab` with no scenario lists them: it loads the lab, the network layer and the bank's wire code.
		const modules = loadedModules(['lab']);
		expect(modules.some((url) => url.includes('/source/lab/'))).toBe(true);
		expect(modules.some((url) => /\/source\/(net|bank)\//.test(url))).toBe(true);
	});
});
