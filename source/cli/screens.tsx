/**
 * The terminal modes: `serve`, `connect` and `demo` rendered with Ink. Ink and React are imported
 * here only, and only after NO_COLOR has been honoured (RECIPES.md: chalk ignores NO_COLOR, and
 * FORCE_COLOR=0 must be set before it loads).
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ReactElement} from 'react';
import type {render as inkRender} from 'ink';
import type {LedgerStore} from '../bank/store.js';
import type {ClientConnectionHandle, ServerController, UnknownHostKey} from '../net/api.js';
import type {BankServer} from '../net/bank-server.js';
import type {ProtocolEvent} from '../protocol/events.js';
import {knownHostsFile, serverDataDirectory} from './paths.js';
import {chosenSuites, type CliFlags} from './run.js';

export const DEMO_ACCOUNT = 'demo';
export const DEMO_PASSWORD = 'demo-password';

async function loadInk() {
	if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '')
		process.env['FORCE_COLOR'] = '0';
	// React's development build costs ~45 ms a keypress here; the screens want the production one.
	process.env['NODE_ENV'] ??= 'production';
	const [ink, react, ui] = await Promise.all([
		import('ink'),
		import('react'),
		import('../ui/index.js'),
	]);
	return {render: ink.render, createElement: react.createElement, ui};
}

type StartHooks = {
	readonly onEvent: (event: ProtocolEvent) => void;
	readonly decideUnknownHost: (key: UnknownHostKey) => Promise<boolean>;
};

/** The connect screen's `start`: the real network behind the UI's props. */
function startFor(
	target: {host: string; port: number},
	flags: CliFlags,
	knownHosts: string,
	track: (handle: ClientConnectionHandle) => void,
) {
	return async (hooks: StartHooks): Promise<ClientConnectionHandle> => {
		const [{connect}, {BankClient}] = await Promise.all([
			import('../net/client.js'),
			import('../net/bank-client.js'),
		]);
		let suites = chosenSuites(flags);
		if (flags.insecureTeaching)
			suites = (await import('../net/teaching-host-key.js')).teachingClientSuites(suites);
		const session = await connect({
			host: target.host,
			port: target.port,
			knownHostsFile: knownHosts,
			acceptNew: flags.acceptNew,
			...(flags.fingerprint ? {fingerprint: flags.fingerprint} : {}),
			...(suites ? {suites} : {}),
			allowInsecure: flags.insecureTeaching,
			showSecrets: flags.showSecrets,
			onEvent: hooks.onEvent,
			decideUnknownHost: hooks.decideUnknownHost,
		});
		const handle: ClientConnectionHandle = {
			info: session.info,
			bank: new BankClient(session),
			closed: session.closed,
			close: () => session.close('customer left'),
		};
		track(handle);
		return handle;
	};
}

/** Renders until the app exits; returns its exit code (Ctrl-C: 130). */
async function runApp(
	element: (onExit: (code: number) => void) => ReactElement,
	render: typeof inkRender,
): Promise<number> {
	let exitCode = 130;
	const instance: {app?: ReturnType<typeof inkRender>} = {};
	const onExit = (code: number) => {
		exitCode = code;
		instance.app?.unmount();
	};

	const app = render(element(onExit), {exitOnCtrlC: true});
	instance.app = app;
	await app.waitUntilExit();
	return exitCode;
}

export async function connectScreen(
	target: {host: string; port: number},
	flags: CliFlags,
): Promise<number> {
	const {render, createElement, ui} = await loadInk();
	let handle: ClientConnectionHandle | undefined;
	const start = startFor(target, flags, knownHostsFile(flags.knownHosts), (connected) => {
		handle = connected;
	});
	const code = await runApp(
		(onExit) =>
			createElement(ui.ConnectApp, {
				target: `${target.host}:${target.port}`,
				start,
				showSecrets: flags.showSecrets,
				onExit,
			}),
		render,
	);
	handle?.close();
	if (handle)
		await Promise.race([handle.closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
	return code;
}

async function startServer(
	flags: CliFlags,
	dataDirectory: string,
	extra: {store?: LedgerStore; port?: number} = {},
): Promise<BankServer> {
	const {startBankServer} = await import('../net/bank-server.js');
	let suites = chosenSuites(flags);
	let teaching = {};
	if (flags.insecureTeaching) {
		const {teachingServerSetup} = await import('../net/teaching-host-key.js');
		const setup = teachingServerSetup(dataDirectory, suites);
		suites = setup.suites;
		teaching = {extraHostKeys: setup.extraHostKeys};
	}

	return startBankServer({
		host: flags.host,
		port: extra.port ?? flags.port,
		dataDirectory,
		allowSignup: flags.signup,
		showSecrets: flags.showSecrets,
		allowInsecure: flags.insecureTeaching,
		...(suites ? {suites} : {}),
		...teaching,
		...(extra.store ? {store: extra.store} : {}),
	});
}

export async function serveScreen(flags: CliFlags): Promise<number> {
	let server: BankServer;
	try {
		server = await startServer(flags, serverDataDirectory(flags.data));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		process.stderr.write(
			`securebank: cannot start: ${code === 'EADDRINUSE' ? `${flags.host}:${flags.port} is already in use` : (error as Error).message}\n`,
		);
		return 5;
	}

	const {render, createElement, ui} = await loadInk();
	const controller: ServerController = server;
	const code = await runApp((onExit) => createElement(ui.ServeApp, {controller, onExit}), render);
	await server.stop();
	return code;
}

/**
 * `securebank demo`: a server in this process on a free loopback port, with a temporary ledger
 * holding one demo account, and a client connected to it, side by side. Nothing is left behind.
 */
export async function demoScreen(flags: CliFlags): Promise<number> {
	const directory = mkdtempSync(join(tmpdir(), 'securebank-demo-'));
	let server: BankServer | undefined;
	let handle: ClientConnectionHandle | undefined;
	try {
		const [{openSqliteLedgerStore}, {addAccount}] = await Promise.all([
			import('../bank/store-sqlite.js'),
			import('../bank/accounts.js'),
		]);
		const dataDirectory = join(directory, 'server');
		const store = openSqliteLedgerStore(dataDirectory);
		await addAccount(store, DEMO_ACCOUNT, DEMO_PASSWORD);
		server = await startServer({...flags, host: '127.0.0.1', signup: true}, dataDirectory, {
			store,
			port: 0,
		});
		const {render, createElement, ui} = await loadInk();
		const start = startFor(
			{host: '127.0.0.1', port: server.port},
			{...flags, acceptNew: false},
			join(directory, 'known_hosts'),
			(connected) => {
				handle = connected;
			},
		);
		const controller: ServerController = server;
		return await runApp(
			(onExit) =>
				createElement(ui.DemoApp, {
					controller,
					start,
					showSecrets: flags.showSecrets,
					onExit,
					hint: `demo account: ${DEMO_ACCOUNT} / ${DEMO_PASSWORD}`,
				}),
			render,
		);
	} finally {
		handle?.close();
		await server?.stop();
		rmSync(directory, {recursive: true, force: true});
	}
}
