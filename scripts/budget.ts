/** The drop-in file's size budget, gzip -9: all elements together (issue 4). `npm run size` prints against it; a test enforces it. */
export const DROP_IN_GZIP_BUDGET = 16 * 1024;
