/* SPDX-License-Identifier: MIT */
/*
 * A plain main() for a libFuzzer target, for the unit suite: runs the
 * target once on every file of the directories given (the seed corpus
 * fuzz/corpus/<target> and the regression inputs fuzz/regress/<target>,
 * crashes that were fixed), printing TAP. Built with the normal compiler,
 * so the sanitizer build (build-asan) checks every input under ASan/UBSan.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX (1024 * 1024)

static unsigned n;

/* One input in a buffer of exactly its size, so an overread is caught. */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || len > REPLAY_MAX ||
	    fseek(f, 0, SEEK_SET) != 0 || !(buf = malloc(len ? (size_t)len : 1)) ||
	    fread(buf, 1, (size_t)len, f) != (size_t)len) {
		printf("not ok %u - %s: cannot read\n", ++n, path);
		if (f)
			fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	printf("ok %u - %s\n", ++n, path);
	fflush(stdout);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	int failed = 0;

	for (int i = 1; i < argc; i++) {
		struct dirent **ents;
		int k = scandir(argv[i], &ents, NULL, by_name);

		if (k < 0)
			continue; /* no regression inputs for this target (yet) */
		for (int j = 0; j < k; j++) {
			char path[4096];
			struct stat st;

			snprintf(path, sizeof(path), "%s/%s", argv[i], ents[j]->d_name);
			if (ents[j]->d_name[0] != '.' && stat(path, &st) == 0 &&
			    S_ISREG(st.st_mode))
				failed |= run_file(path);
			free(ents[j]);
		}
		free(ents);
	}
	printf(n ? "1..%u\n" : "1..0 # SKIP no inputs\n", n);
	return failed;
}
