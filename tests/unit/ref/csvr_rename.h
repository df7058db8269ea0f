/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* user/io/csvread.c's functions under the prefix CSVR_PREFIX: one more build of it */
#define CSVR_CAT(a, b)		a##b
#define CSVR_NAME(a, b)		CSVR_CAT(a, b)
#define csvr_close		CSVR_NAME(CSVR_PREFIX, close)
#define csvr_col		CSVR_NAME(CSVR_PREFIX, col)
#define csvr_colname		CSVR_NAME(CSVR_PREFIX, colname)
#define csvr_cut		CSVR_NAME(CSVR_PREFIX, cut)
#define csvr_error		CSVR_NAME(CSVR_PREFIX, error)
#define csvr_line		CSVR_NAME(CSVR_PREFIX, line)
#define csvr_ncols		CSVR_NAME(CSVR_PREFIX, ncols)
#define csvr_offset		CSVR_NAME(CSVR_PREFIX, offset)
#define csvr_open		CSVR_NAME(CSVR_PREFIX, open)
#define csvr_open_mem		CSVR_NAME(CSVR_PREFIX, open_mem)
#define csvr_read		CSVR_NAME(CSVR_PREFIX, read)
#define csvr_read_header	CSVR_NAME(CSVR_PREFIX, read_header)
#define csvr_set_limits		CSVR_NAME(CSVR_PREFIX, set_limits)
#define csvr_set_stop		CSVR_NAME(CSVR_PREFIX, set_stop)
#define csvr_size		CSVR_NAME(CSVR_PREFIX, size)
