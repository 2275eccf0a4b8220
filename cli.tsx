#!/usr/bin/env node
/**
 * securebank: parse the command line, pick a mode, run it. Nothing else lives here.
 * Modes are imported lazily so that `--help` and `--version` never load Ink, React or SQLite.
 */
import {readFileSync} from 'node:fs';

const help = String.raw`
  Usage
    $ securebank serve [--host 127.0.0.1] [--port 6001] [--data DIR] [--signup] [--plain]
    $ securebank connect HOST:PORT [--plain] [--json] [--known-hosts FILE] [--accept-new]
                                   [--fingerprint SHA256:...]
    $ securebank demo
    $ securebank lab [SCENARIO]
    $ securebank fingerprint [--data DIR]
    $ securebank accounts add NAME [--data DIR]
    $ securebank accounts list [--data DIR]

  Commands
    serve         Run the bank: listen, keep the ledger, show connections and handshakes
    connect       Connect as a customer: watch the handshake, then bank with the keyboard
    demo          A server and a client side by side in one terminal, with a demo account
    lab           Attack scenarios against the insecure teaching suite and the default suite
    fingerprint   Print the server's host key fingerprints
    accounts      Add or list accounts on the server's ledger

  Options
    --host              Address to listen on (serve)                  [127.0.0.1]
    --port              Port to listen on (serve)                     [6001]
    --data              Server data folder (host keys, ledger)        [XDG data dir or $SECUREBANK_HOME/server]
    --signup            Let clients open accounts themselves (serve)
    --plain             Log lines instead of the screens (automatic when output is not a terminal)
    --json              One JSON object per result line (connect --plain)
    --known-hosts       known_hosts file                              [XDG config dir or $SECUREBANK_HOME]
    --accept-new        Trust and remember a host key never seen before
    --fingerprint       Accept only this host key fingerprint (SHA256:...)
    --suite             Offer or allow only this suite (repeatable), by name
    --insecure-teaching Offer/allow the INSECURE textbook teaching suite (serve and connect)
    --show-secrets      Show raw session keys (never do this with real money)
    --version           Print the version
    --help              Print this help

  Exit codes
    0 success, 2 usage, 3 host key unknown/changed/not matching, 4 authentication failed,
    5 connection or protocol failure

  Examples
    $ securebank serve
    $ securebank accounts add alice
    $ securebank connect 127.0.0.1:6001
    $ printf 'login alice s3cret-pass\ndeposit 12.50\nbalance\n' | securebank connect 127.0.0.1:6001 --accept-new
`;

// `--help` and `--version` answer before anything is loaded (issue 4: within 2x of `node -e 0`).
const [only, ...others] = process.argv.slice(2);
if (others.length === 0 && (only === '--help' || only === '-h')) {
	process.stdout.write(
		`\n  A bank over a secure channel with its own SSL/SSH-style handshake\n${help}\n`,
	);
	process.exit(0);
}

if (others.length === 0 && only === '--version') {
	// dist/cli.js when built (the manifest is one folder up), cli.tsx when run from source.
	const manifestUrl = new URL(
		import.meta.url.endsWith('.tsx') ? 'package.json' : '../package.json',
		import.meta.url,
	);
	const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as {version: string};
	process.stdout.write(`${manifest.version}\n`);
	process.exit(0);
}

const {default: meow} = await import('meow');
const cli = meow(help, {
	importMeta: import.meta,
	allowUnknownFlags: false,
	flags: {
		host: {type: 'string', default: '127.0.0.1'},
		port: {type: 'number', default: 6001},
		data: {type: 'string'},
		signup: {type: 'boolean', default: false},
		plain: {type: 'boolean', default: false},
		json: {type: 'boolean', default: false},
		knownHosts: {type: 'string'},
		acceptNew: {type: 'boolean', default: false},
		fingerprint: {type: 'string'},
		suite: {type: 'string', isMultiple: true},
		insecureTeaching: {type: 'boolean', default: false},
		showSecrets: {type: 'boolean', default: false},
	},
});

const [command, ...rest] = cli.input;
const {runCommand} = await import('./source/cli/run.js');
process.exitCode = await runCommand(command, rest, cli.flags, () => cli.showHelp(2));
