/* SPDX-License-Identifier: MIT */
/* The swanctl importer on arbitrary bytes (fuzz/cli/fuzz_import.h). */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(IMP_FMT_SWANCTL, data, size);
}
