/**
 * Text helpers for the screens: clock times, wrapping and fixed-width columns.
 *
 * The panes pre-compute their lines (so that scrolling can count them), which is why wrapping is
 * done here rather than left to Ink: every line this module returns fits the width it was given.
 */

/** One pre-computed line of a pane, with its look. */
export type Line = {
	readonly text: string;
	readonly color?: string;
	readonly bold?: boolean;
	readonly dim?: boolean;
	readonly inverse?: boolean;
};

export type Tone = 'normal' | 'ok' | 'bad' | 'warn' | 'dim' | 'accent';

/** The colour a tone is drawn in (undefined: the terminal's default). */
export function toneColor(tone: Tone): string | undefined {
	switch (tone) {
		case 'ok': {
			return 'green';
		}

		case 'bad': {
			return 'red';
		}

		case 'warn': {
			return 'yellow';
		}

		case 'accent': {
			return 'cyan';
		}

		case 'dim':
		case 'normal': {
			return undefined;
		}
	}
}

function two(value: number): string {
	return value.toString().padStart(2, '0');
}

/** Local wall-clock time with milliseconds, "HH:MM:SS.mmm"; blanks when the time is unknown. */
export function formatClock(milliseconds: number | undefined): string {
	if (milliseconds === undefined) return '--:--:--.---';
	const date = new Date(milliseconds);
	const millis = date.getMilliseconds().toString().padStart(3, '0');
	return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${millis}`;
}

/** An ISO 8601 time as a short local "MM-DD HH:MM" (the history table's time column). */
export function formatShortDate(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso.slice(0, 11);
	return `${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** Cuts text to a width, marking the cut with "…". */
export function truncate(text: string, width: number): string {
	if (width <= 0) return '';
	const characters = [...text];
	if (characters.length <= width) return text;
	return `${characters.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Left-aligns text in a column of exactly `width` characters. */
export function padEnd(text: string, width: number): string {
	const cut = truncate(text, width);
	return cut + ' '.repeat(Math.max(0, width - [...cut].length));
}

/** Right-aligns text in a column of exactly `width` characters. */
export function padStart(text: string, width: number): string {
	const cut = truncate(text, width);
	return ' '.repeat(Math.max(0, width - [...cut].length)) + cut;
}

/**
 * Word-wraps text to lines of at most `width` characters; a word longer than the width (a hex
 * value, a fingerprint) is broken into pieces rather than cut, so full values stay readable.
 */
export function wrapText(text: string, width: number): string[] {
	const limit = Math.max(1, width);
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		let line = '';
		for (const word of paragraph.split(' ')) {
			let rest = [...word];
			const joined = line === '' ? word : `${line} ${word}`;
			if ([...joined].length <= limit) {
				line = joined;
				continue;
			}

			if (line !== '') lines.push(line);
			line = '';
			while (rest.length > limit) {
				lines.push(rest.slice(0, limit).join(''));
				rest = rest.slice(limit);
			}

			line = rest.join('');
		}

		lines.push(line);
	}

	return lines;
}

/** Lines for a labelled value: the label on its own line, the value wrapped below it, indented. */
export function labelledValue(
	label: string,
	value: string,
	width: number,
	look: Omit<Line, 'text'> = {},
): Line[] {
	return [
		{text: truncate(label, width), bold: true},
		...wrapText(value, width - 2).map((text) => ({...look, text: `  ${text}`})),
	];
}
