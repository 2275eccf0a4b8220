/**
 * `npm run bench`: securebank against peers measured in the same run, on loopback.
 *
 *   A (issue 2) full handshakes per second and p50 latency, 1 and 32 clients, against node:tls;
 *     server CPU per handshake; 128-byte round trips against node:tls and plain TCP.
 *   B (issue 3) ledger withdrawals per second through the whole stack, 1 and 32 clients, against
 *     raw better-sqlite3 with one withdrawal per commit.
 *
 * Progress goes to stderr; the table and, last, one JSON line per comparison go to stdout.
 *   C (issue 4) start-up of `securebank --help` and `--version` against `node -e 0`.
 * Options: --quick, --only=handshake|cpu|rtt|ledger|startup (comma separated), --profile-server=DIR.
 */
import {cpus} from 'node:os';
import {
	benchHandshakes,
	benchRoundTrips,
	benchServerCpu,
	startChannelServers,
	type CpuFigures,
	type HandshakeFigures,
	type RttFigures,
} from './channel.js';
import {measureFloors, type Floors} from './floors.js';
import {benchLedger, type LedgerFigures} from './ledger.js';
import {parseOptions} from './options.js';
import {benchStartup, type StartupFigures} from './startup.js';
import {formatNumber, renderTable, roundForJson} from './stats.js';

const log = (line: string) => {
	process.stderr.write(`${line}\n`);
};

type Comparison = {
	readonly bench: string;
	readonly ours: number;
	readonly peer: number;
	readonly tcp?: number;
	readonly ratio: number;
};

/** Targets from the issues: a ratio at least (or at most) this. */
const TARGETS: Readonly<Record<string, {readonly atLeast?: number; readonly atMost?: number}>> = {
	'handshake-32': {atLeast: 1.5},
	'server-cpu': {atMost: 0.5},
	rtt: {atMost: 1},
	'ledger-32': {atLeast: 1},
	'startup-help': {atMost: 2},
	'startup-version': {atMost: 2},
};

/** A table row: label, ours, peer, plain TCP (if measured), ours/peer. */
function row(label: string, ours: number, peer: number, tcp?: number): string[] {
	return [
		label,
		formatNumber(ours),
		formatNumber(peer),
		tcp === undefined ? '' : formatNumber(tcp),
		formatNumber(ours / peer),
	];
}

function compare(bench: string, ours: number, peer: number): Comparison {
	return {bench, ours, peer, ratio: ours / peer};
}

function verdict(comparison: Comparison): string {
	const target = TARGETS[comparison.bench];
	if (!target) return '';
	if (target.atLeast !== undefined)
		return `${comparison.ratio >= target.atLeast ? 'MET' : 'MISSED'} (>= ${target.atLeast})`;
	return `${comparison.ratio <= target.atMost! ? 'MET' : 'MISSED'} (<= ${target.atMost})`;
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	const started = performance.now();
	const runner = import.meta.url.endsWith('.ts') ? 'tsx (from source)' : 'node (built dist/)';
	log(
		`securebank bench: ${options.quick ? 'quick' : 'full'} run of ${[...options.parts].join(', ')}; ${runner}, Node ${process.version}, ${cpus().length} CPUs`,
	);

	const handshakes: HandshakeFigures[] = [];
	let cpu: CpuFigures | undefined;
	let rtt: RttFigures | undefined;
	let ledger: LedgerFigures[] = [];

	if (options.parts.has('handshake') || options.parts.has('cpu') || options.parts.has('rtt')) {
		const servers = await startChannelServers(options);
		for (const description of servers.descriptions) log(`  ${description}`);
		try {
			if (options.parts.has('handshake')) {
				for (const concurrency of [1, options.concurrency]) {
					log(
						`handshakes, ${concurrency} client${concurrency === 1 ? '' : 's'}: ${options.rounds} rounds of ${options.measureMs} ms per side`,
					);
					handshakes.push(await benchHandshakes(servers, options, concurrency, log));
				}
			}

			if (options.parts.has('cpu')) {
				log(
					`server CPU: ${options.cpuHandshakes} handshakes by ${options.concurrency} clients, ${options.cpuRepeats} repeat(s) per side`,
				);
				cpu = await benchServerCpu(servers, options, log);
			}

			if (options.parts.has('rtt')) {
				log(
					`round trips: ${options.rttBatches} batches of ${options.rttBatch} per channel, interleaved`,
				);
				rtt = await benchRoundTrips(servers, options);
			}
		} finally {
			await servers.stop();
		}
	}

	let floors: Floors | undefined;
	if (cpu ?? rtt) {
		log('floors: the node:crypto calls alone, hot loops in this process');
		floors = measureFloors(options.quick);
	}

	if (options.parts.has('ledger')) {
		log(`ledger: ${options.rounds} rounds of ${options.measureMs} ms per side`);
		ledger = await benchLedger(options, [1, options.concurrency], log);
	}

	let startup: StartupFigures[] = [];
	if (options.parts.has('startup')) {
		const runs = options.quick ? 7 : 21;
		log(
			`start-up: securebank --help and --version against node -e 0, ${runs} alternating runs each`,
		);
		startup = benchStartup(runs);
	}

	const rows: string[][] = [];
	const comparisons: Comparison[] = [];
	for (const figures of handshakes) {
		const name = `handshake-${figures.concurrency}`;
		const {ours, peer} = figures;
		rows.push(
			row(`${name} (per s)`, ours.perSecond, peer.perSecond),
			row(`${name} p50 latency (ms)`, ours.p50Ms, peer.p50Ms),
			row(
				`${name} server CPU (µs/handshake)`,
				ours.serverMicrosPerHandshake,
				peer.serverMicrosPerHandshake,
			),
		);
		comparisons.push(compare(name, ours.perSecond, peer.perSecond));
	}

	if (cpu) {
		rows.push(
			row(
				`server-cpu (µs/handshake, ${cpu.handshakes} by ${options.concurrency})`,
				cpu.oursServerMicros,
				cpu.peerServerMicros,
				cpu.tcpServerMicros,
			),
			row('client CPU, same runs (µs/handshake)', cpu.oursClientMicros, cpu.peerClientMicros),
		);
		// What any server on node:net and node:crypto pays at least (floors.ts): the crypto calls
		// alone, in a hot loop, plus plain TCP's own cost; the ratio column is against node:tls.
		if (floors) {
			rows.push(
				row(
					'  floor: crypto calls of 1 handshake + plain TCP',
					floors.handshakeMicros + cpu.tcpServerMicros,
					cpu.peerServerMicros,
					cpu.tcpServerMicros,
				),
			);
		}

		comparisons.push(compare('server-cpu', cpu.oursServerMicros, cpu.peerServerMicros));
	}

	if (rtt) {
		rows.push(
			row(
				`rtt 128 B (µs, ${rtt.roundTrips} per channel)`,
				rtt.oursMicros,
				rtt.tlsMicros,
				rtt.tcpMicros,
			),
			row(
				'  minimal JS record layer (naive-records.ts)',
				rtt.naiveMicros,
				rtt.tlsMicros,
				rtt.tcpMicros,
			),
		);
		if (floors) {
			rows.push(
				row(
					'  floor: 4 AEAD calls + plain TCP round trip',
					floors.roundTripMicros + rtt.tcpMicros,
					rtt.tlsMicros,
					rtt.tcpMicros,
				),
			);
		}

		comparisons.push({...compare('rtt', rtt.oursMicros, rtt.tlsMicros), tcp: rtt.tcpMicros});
	}

	for (const figures of ledger) {
		const name = `ledger-${figures.concurrency}`;
		const detail = `batch ${formatNumber(figures.meanBatch)}, CPU µs/op server ${formatNumber(figures.serverMicrosPerOperation)} clients ${formatNumber(figures.clientMicrosPerOperation)}`;
		rows.push(row(`${name} (ops/s; ${detail})`, figures.ours.perSecond, figures.peer.perSecond));
		if (figures.concurrency > 1) {
			// Clients and server share this machine's cores: however well commits are grouped, no
			// more operations fit in a second than the cores divided by the CPU each one costs.
			const ceiling =
				(cpus().length * 1e6) /
				(figures.serverMicrosPerOperation + figures.clientMicrosPerOperation);
			rows.push(
				row(
					`  ceiling: ${cpus().length} cores / CPU per op (ops/s)`,
					ceiling,
					figures.peer.perSecond,
				),
			);
		}

		comparisons.push(compare(name, figures.ours.perSecond, figures.peer.perSecond));
	}

	for (const figures of startup) {
		const name = `startup-${figures.flag.slice(2)}`;
		rows.push(row(`securebank ${figures.flag} vs node -e 0 (ms)`, figures.oursMs, figures.peerMs));
		comparisons.push(compare(name, figures.oursMs, figures.peerMs));
	}

	const seconds = (performance.now() - started) / 1000;
	console.log('');
	console.log(
		renderTable(['measurement (medians)', 'securebank', 'peer', 'tcp', 'ours/peer'], rows),
	);
	console.log('');
	console.log(
		'peers: handshakes, server CPU and rtt against node:tls (TLS 1.3, Ed25519 cert, X25519, CHACHA20_POLY1305, no resumption); ledger against raw better-sqlite3 (WAL, synchronous=FULL, one withdrawal per commit, in-process)',
	);
	console.log(
		`servers in child processes, clients in this one; ${runner}; ${seconds.toFixed(0)} s`,
	);
	for (const comparison of comparisons) {
		const target = verdict(comparison);
		if (target)
			console.log(`target ${comparison.bench}: ratio ${formatNumber(comparison.ratio)} ${target}`);
	}

	for (const comparison of comparisons) {
		const {bench, ours, peer, tcp, ratio} = comparison;
		console.log(
			JSON.stringify({
				bench,
				ours: roundForJson(ours),
				peer: roundForJson(peer),
				...(tcp === undefined ? {} : {tcp: roundForJson(tcp)}),
				ratio: roundForJson(ratio),
			}),
		);
	}
}

try {
	await main();
} catch (error) {
	process.stderr.write(
		`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
}
