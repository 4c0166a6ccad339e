/* SPDX-License-Identifier: MIT */
/*
 * Text formatting for the CLI's tables, matching what operators read on
 * VyOS and strongSwan: sizes and uptimes as VyOS 'show vpn ipsec sa' prints
 * them, durations as strongSwan's statusall does, and column tables in the
 * layout of VyOS's op-mode commands.
 */
#ifndef IPSECGW_CLI_FMT_H
#define IPSECGW_CLI_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Bytes as VyOS shows them: the largest unit of 1024 that fits, rounded
 * down, no space: 0 -> "0B", 1176 -> "1K", 3024 -> "2K", 5242880 -> "5M".
 */
void cli_fmt_size(uint64_t bytes, char *out, size_t len);
/* Seconds as VyOS uptimes: 274 -> "4m34s", 3600 -> "1h", 0 -> "0s"; weeks and days too. */
void cli_fmt_uptime(int64_t s, char *out, size_t len);
/* Seconds as strongSwan words: "45 seconds", "5 minutes", "23 hours", "2 days". */
void cli_fmt_words(int64_t s, char *out, size_t len);

/*
 * A left-aligned column table, VyOS op-mode layout: every column as wide
 * as its widest cell and at least its header plus two, columns two spaces
 * apart, a row of dashes under the headers, no trailing blanks.
 */
struct cli_table;
struct cli_table *cli_table_new(size_t ncols, const char *const headers[]);
/* Copies ncols cells. 0 or IG_ENOMEM. */
int cli_table_add(struct cli_table *t, const char *const cells[]);
void cli_table_print(const struct cli_table *t, FILE *f);
void cli_table_free(struct cli_table *t);

#endif
