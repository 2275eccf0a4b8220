/**
 * Pane sizes for each screen, from the terminal's size: side by side from 100 columns, stacked
 * below; extra rows go to the logs. Pure functions, so the layouts are tested without rendering.
 *
 * The whole screen is kept one row shorter than the terminal: Ink redraws a frame as tall as the
 * terminal by clearing the screen, which flickers.
 */
import type {Size} from './terminal-size.js';

export type Rect = {readonly width: number; readonly height: number};

/** From this many columns, panes sit side by side. */
export const WIDE_COLUMNS = 100;

const headerRows = 2;
const statusRows = 1;
const bankMin = 10;
const bankMax = 18;
const paneMin = 5;

function bodyRows(size: Size, header = headerRows, floor = bankMin + 2 * paneMin): number {
	return Math.max(size.rows - 1 - header - statusRows, floor);
}

function bankHeight(body: number): number {
	return Math.max(bankMin, Math.min(bankMax, Math.floor(body * 0.45)));
}

export type ConnectLayout = {
	readonly stacked: boolean;
	readonly width: number;
	readonly body: number;
	readonly log: Rect;
	/** Hidden while a log entry is expanded and needs the room. */
	readonly keys: Rect | undefined;
	readonly bank: Rect;
};

export function connectLayout(size: Size, options: {readonly logExpanded: boolean}): ConnectLayout {
	const width = size.columns;
	const body = bodyRows(size);
	const bank = {width, height: bankHeight(body)};
	const top = body - bank.height;
	if (width >= WIDE_COLUMNS) {
		if (options.logExpanded)
			return {stacked: false, width, body, log: {width, height: top}, keys: undefined, bank};
		const logWidth = Math.floor(width * 0.56);
		return {
			stacked: false,
			width,
			body,
			log: {width: logWidth, height: top},
			keys: {width: width - logWidth, height: top},
			bank,
		};
	}

	if (options.logExpanded)
		return {stacked: true, width, body, log: {width, height: top}, keys: undefined, bank};
	const logHeight = Math.max(paneMin, Math.ceil(top * 0.6));
	return {
		stacked: true,
		width,
		body,
		log: {width, height: logHeight},
		keys: {width, height: Math.max(paneMin, top - logHeight)},
		bank,
	};
}

export type DemoLayout = {
	readonly stacked: boolean;
	readonly width: number;
	/** Undefined while the other log's entry is expanded. */
	readonly clientLog: Rect | undefined;
	readonly serverLog: Rect | undefined;
	readonly bank: Rect;
};

export function demoLayout(
	size: Size,
	options: {readonly expanded: 'client' | 'server' | undefined; readonly headerLines?: number},
): DemoLayout {
	const width = size.columns;
	const body = bodyRows(size, options.headerLines ?? headerRows);
	const bank = {width, height: bankHeight(body)};
	const top = body - bank.height;
	const {expanded} = options;
	if (expanded) {
		const full = {width, height: top};
		return {
			stacked: width < WIDE_COLUMNS,
			width,
			clientLog: expanded === 'client' ? full : undefined,
			serverLog: expanded === 'server' ? full : undefined,
			bank,
		};
	}

	if (width >= WIDE_COLUMNS) {
		const half = Math.floor(width / 2);
		return {
			stacked: false,
			width,
			clientLog: {width: half, height: top},
			serverLog: {width: width - half, height: top},
			bank,
		};
	}

	const clientHeight = Math.ceil(top / 2);
	return {
		stacked: true,
		width,
		clientLog: {width, height: clientHeight},
		serverLog: {width, height: top - clientHeight},
		bank,
	};
}

export type ServeLayout = {
	readonly stacked: boolean;
	readonly width: number;
	readonly connections: Rect;
	readonly log: Rect;
	readonly ledger: Rect;
};

/** `headerRows`: the address and counts line plus one line per host key. */
export function serveLayout(
	size: Size,
	headerLines: number,
	options: {readonly logExpanded: boolean},
): ServeLayout {
	const width = size.columns;
	// The server has no bank pane: three panes at their minimum is all it needs (80x24 fits).
	const body = bodyRows(size, headerLines, 3 * paneMin + 1);
	const ledger = {width, height: Math.max(paneMin + 1, Math.min(12, Math.floor(body * 0.3)))};
	const top = body - ledger.height;
	if (width >= WIDE_COLUMNS) {
		const listWidth = options.logExpanded ? 0 : Math.floor(width * 0.44);
		return {
			stacked: false,
			width,
			connections: {width: listWidth, height: top},
			log: {width: width - listWidth, height: top},
			ledger,
		};
	}

	const listHeight = Math.max(paneMin, Math.floor(top * 0.4));
	return {
		stacked: true,
		width,
		connections: {width, height: listHeight},
		log: {width, height: top - listHeight},
		ledger,
	};
}
