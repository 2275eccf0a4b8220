/**
 * A throwaway Ed25519 self-signed certificate for the node:tls peer, made with the openssl CLI
 * at bench start (RFC 8410 keys in X.509). The name is in subjectAltName so that the client
 * checks the server's identity properly (ca + servername), no shortcut.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export const BENCH_SERVER_NAME = 'securebank-bench';

export type BenchCertificate = {
	readonly keyPem: string;
	readonly certPem: string;
	readonly serverName: string;
};

export function makeEd25519Certificate(): BenchCertificate {
	const directory = mkdtempSync(path.join(tmpdir(), 'securebank-bench-tls-'));
	try {
		const keyFile = path.join(directory, 'key.pem');
		const certFile = path.join(directory, 'cert.pem');
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'ed25519',
				'-keyout',
				keyFile,
				'-out',
				certFile,
				'-days',
				'1',
				'-nodes',
				'-subj',
				`/CN=${BENCH_SERVER_NAME}`,
				'-addext',
				`subjectAltName=DNS:${BENCH_SERVER_NAME}`,
			],
			{stdio: ['ignore', 'ignore', 'pipe']},
		);
		return {
			keyPem: readFileSync(keyFile, 'utf8'),
			certPem: readFileSync(certFile, 'utf8'),
			serverName: BENCH_SERVER_NAME,
		};
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}
