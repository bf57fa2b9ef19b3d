/*
 * vgatext - print a dump of the VGA text buffer as text.
 *
 *   vgatext DUMP [--attr ROW]
 *
 * DUMP is 4000 bytes saved from physical 0xB8000 (QEMU monitor:
 * `pmemsave 0xb8000 4000 DUMP`): 80 x 25 cells of (character, attribute).
 * Prints the 25 rows, trailing blanks removed; bytes outside printable
 * ASCII become '.'. With --attr ROW it prints that row's attribute bytes in
 * hex instead, so tests can check colours. The whole-system tests use it
 * to check what a person would see on the screen.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS 80
#define ROWS 25
#define CELLS (COLS * ROWS)

int main(int argc, char **argv)
{
	unsigned char buf[CELLS * 2];
	int attr_row = -1;

	if (argc == 4 && strcmp(argv[2], "--attr") == 0) {
		char *end;
		long row = strtol(argv[3], &end, 10);
		if (*end || row < 0 || row >= ROWS) {
			fprintf(stderr, "vgatext: row must be 0..%d, not '%s'\n", ROWS - 1, argv[3]);
			return 2;
		}
		attr_row = (int)row;
	} else if (argc != 2) {
		fprintf(stderr, "usage: vgatext DUMP [--attr ROW]\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "vgatext: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n != sizeof(buf)) {
		fprintf(stderr, "vgatext: %s: %zu bytes, expected %d (80x25 cells)\n", argv[1], n, CELLS * 2);
		return 1;
	}
	if (attr_row >= 0) {
		for (int c = 0; c < COLS; c++)
			printf("%02x%s", buf[(attr_row * COLS + c) * 2 + 1], c + 1 < COLS ? " " : "\n");
		return 0;
	}
	for (int r = 0; r < ROWS; r++) {
		char line[COLS + 1];
		int len = 0;
		for (int c = 0; c < COLS; c++) {
			unsigned char ch = buf[(r * COLS + c) * 2];
			line[c] = (ch >= 0x20 && ch < 0x7F) ? (char)ch : (ch == 0 ? ' ' : '.');
			if (line[c] != ' ')
				len = c + 1;
		}
		line[len] = '\0';
		puts(line);
	}
	return 0;
}
