/**
 * known_hosts, as OpenSSH keeps it (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): one line per host and
 * key type, `[host]:port keytype base64-blob`, `#` comments. A key never seen is "new"; the same
 * key is "known"; another key of the same type for the same host is "changed", a hard failure.
 */
import {appendFileSync, existsSync, mkdirSync, readFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {sha256} from '../crypto/primitives.js';
import {type HostKeyAlgorithm} from '../protocol/host-key-algorithms.js';

export type KnownHostEntry = {
	readonly host: string;
	readonly keyName: string;
	readonly blob: Buffer;
	readonly fingerprint: string;
	readonly line: number;
};

export type KnownHostsLookup =
	| {readonly status: 'unknown'}
	| {readonly status: 'known'; readonly entry: KnownHostEntry}
	| {readonly status: 'changed'; readonly entry: KnownHostEntry};

/** `[host]:port`, the form OpenSSH uses for a non-default port; we use it for every port. */
export function hostPattern(host: string, port: number): string {
	return `[${host}]:${port}`;
}

export function fingerprintOfBlob(blob: Uint8Array): string {
	return `SHA256:${sha256(blob).toString('base64').replace(/=+$/, '')}`;
}

/** Reads known_hosts; malformed lines are skipped (as OpenSSH does), comments ignored. */
export function readKnownHosts(file: string): KnownHostEntry[] {
	if (!existsSync(file)) return [];
	const entries: KnownHostEntry[] = [];
	const lines = readFileSync(file, 'utf8').split('\n');
	for (const [index, raw] of lines.entries()) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) continue;
		const [hosts, keyName, encoded] = line.split(/\s+/);
		if (!hosts || !keyName || !encoded || !/^[A-Za-z0-9+/]+=*$/.test(encoded)) continue;
		const blob = Buffer.from(encoded, 'base64');
		for (const host of hosts.split(',')) {
			entries.push({host, keyName, blob, fingerprint: fingerprintOfBlob(blob), line: index + 1});
		}
	}

	return entries;
}

/** Looks a presented key up: same host and key type, then same blob. */
export function lookupHostKey(
	file: string,
	host: string,
	algorithm: HostKeyAlgorithm,
	publicKeyBytes: Uint8Array,
): KnownHostsLookup {
	const blob = algorithm.publicKeyBlob(publicKeyBytes);
	const candidates = readKnownHosts(file).filter(
		(entry) => entry.host === host && entry.keyName === algorithm.knownHostsName,
	);
	const same = candidates.find((entry) => entry.blob.equals(blob));
	if (same) return {status: 'known', entry: same};
	const other = candidates[0];
	if (other) return {status: 'changed', entry: other};
	return {status: 'unknown'};
}

/** Appends `[host]:port keytype blob`; creates the folder (0700) and file (0600) when missing. */
export function addKnownHost(
	file: string,
	host: string,
	algorithm: HostKeyAlgorithm,
	publicKeyBytes: Uint8Array,
): number {
	mkdirSync(dirname(file), {recursive: true, mode: 0o700});
	const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
	const prefix = existing.length > 0 && !existing.endsWith('\n') ? '\n' : '';
	const blob = algorithm.publicKeyBlob(publicKeyBytes);
	appendFileSync(
		file,
		`${prefix}${host} ${algorithm.knownHostsName} ${blob.toString('base64')}\n`,
		{mode: 0o600},
	);
	return (existing + prefix).split('\n').length;
}

export {hostKeyAlgorithmByName} from '../protocol/host-key-algorithms.js';
