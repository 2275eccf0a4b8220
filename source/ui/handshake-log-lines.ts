/**
 * The handshake log pane's lines, computed (not rendered) so scrolling can count them: the list
 * (one line per entry, a window kept around the selection) or one entry expanded in full.
 */
import {eventDetail} from './event-text.js';
import {formatClock, toneColor, truncate, wrapText, type Line} from './format.js';
import type {LogEntry} from './handshake-view.js';
import {selectedIndex, type LogCursor} from './log-cursor.js';

export type LogLines = {
	readonly lines: readonly Line[];
	/** "12/40" style position for the title. */
	readonly position: string;
	readonly expanded: boolean;
};

/** The first entry shown so that the selected one is visible (centred once the list scrolls). */
export function windowStart(
	selected: number,
	count: number,
	height: number,
	following: boolean,
): number {
	if (count <= height) return 0;
	if (following) return count - height;
	const centred = selected - Math.floor(height / 2);
	return Math.max(0, Math.min(count - height, centred));
}

function entryLine(entry: LogEntry, selected: boolean, focused: boolean, width: number): Line {
	const text = truncate(`${selected ? '›' : ' '}${formatClock(entry.at)} ${entry.text}`, width);
	return {
		text,
		color: toneColor(entry.tone),
		dim: entry.tone === 'dim' && !selected,
		inverse: selected && focused,
		bold: selected && !focused,
	};
}

/** Every line of one entry expanded: title, purpose, then each field's note and full value. */
export function detailLines(entry: LogEntry, width: number, showSecrets: boolean): Line[] {
	const detail = eventDetail(entry.event, showSecrets);
	const lines: Line[] = wrapText(`${formatClock(entry.at)} ${detail.title}`, width).map((text) => ({
		text,
		bold: true,
		color: toneColor(entry.tone),
	}));
	if (detail.purpose) {
		lines.push(
			...wrapText(`purpose: ${detail.purpose}`, width).map((text) => ({text, color: 'cyan'})),
		);
	}

	for (const field of detail.fields) {
		const heading = field.note ? `${field.name} — ${field.note}` : field.name;
		lines.push(
			...wrapText(heading, width).map((text, index) =>
				index === 0 ? {text, bold: true} : {text, dim: true},
			),
			...wrapText(field.value, width - 2).map((text) => ({text: `  ${text}`})),
		);
	}

	return lines;
}

export function handshakeLogLines(
	entries: readonly LogEntry[],
	cursor: LogCursor,
	options: {
		readonly width: number;
		readonly height: number;
		readonly focused: boolean;
		readonly showSecrets: boolean;
	},
): LogLines {
	const {width, height, focused, showSecrets} = options;
	const count = entries.length;
	const selected = selectedIndex(cursor, count);
	const position = count === 0 ? '0/0' : `${selected + 1}/${count}`;
	const entry = entries[selected];
	if (cursor.expanded && entry) {
		const all = detailLines(entry, width, showSecrets);
		const top = Math.max(0, Math.min(cursor.detailTop, all.length - height));
		return {lines: all.slice(top, top + height), position, expanded: true};
	}

	if (count === 0) {
		return {lines: [{text: 'waiting for the first event…', dim: true}], position, expanded: false};
	}

	const start = windowStart(selected, count, height, cursor.selected === undefined);
	const lines = entries
		.slice(start, start + height)
		.map((shown, index) => entryLine(shown, start + index === selected, focused, width));
	return {lines, position, expanded: false};
}

/** How far an expanded entry can scroll in a pane of this inner size (0 when it fits). */
export function detailScrollMax(
	entries: readonly LogEntry[],
	cursor: LogCursor,
	options: {readonly width: number; readonly height: number; readonly showSecrets: boolean},
): number {
	const entry = entries[selectedIndex(cursor, entries.length)];
	if (!cursor.expanded || !entry) return 0;
	return Math.max(
		0,
		detailLines(entry, options.width, options.showSecrets).length - options.height,
	);
}
