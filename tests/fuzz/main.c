/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/main.c: the driver that replaces libFuzzer when cmpstack is
 * configured without --enable-fuzzing (libtasn1's fuzz/main.c, Mbed TLS's
 * fuzz_onefile.c). It feeds a harness every file of its seed corpus and of
 * its crash reproducers, each in a heap buffer of exactly the file's size,
 * so that make check replays every past finding on every toolchain.
 *
 *   fuzz_<name> [FILE|DIR]...
 *
 * Without arguments it reads $CMP_TOP_SRCDIR/tests/fuzz/corpus/fuzz_<name>
 * and $CMP_TOP_SRCDIR/tests/fuzz/repro/fuzz_<name> (make check sets
 * CMP_TOP_SRCDIR). A harness reports a broken property by aborting, so a
 * replay passes when it returns. Exit 77 (skip) when no input was found.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        if (f != NULL) {
            fclose(f);
        }
        return -1;
    }
    /* Exactly the file's size (one byte for an empty file, not passed on). */
    buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf == NULL || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
        fprintf(stderr, "cannot read %s\n", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of |dir| in name order; returns the count, or -1. */
static long run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t num = 0, cap = 0, i;
    long done = 0;

    if (d == NULL) {
        return 0; /* a harness without seeds or findings yet */
    }
    while ((e = readdir(d)) != NULL) {
        char *p;
        struct stat st;

        if (e->d_name[0] == '.') {
            continue;
        }
        p = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (p == NULL) {
            break;
        }
        sprintf(p, "%s/%s", dir, e->d_name);
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        if (num == cap) {
            char **np = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*names));
            if (np == NULL) {
                free(p);
                break;
            }
            names = np;
        }
        names[num++] = p;
    }
    closedir(d);
    qsort(names, num, sizeof(*names), cmp_names);
    for (i = 0; i < num; i++) {
        if (run_file(names[i]) != 0) {
            done = -1;
        } else if (done >= 0) {
            done++;
        }
        free(names[i]);
    }
    free(names);
    return done;
}

static long run_path(const char *path)
{
    struct stat st;

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        return run_dir(path);
    }
    return run_file(path) == 0 ? 1 : -1;
}

int main(int argc, char **argv)
{
    const char *top = getenv("CMP_TOP_SRCDIR");
    const char *name = strrchr(argv[0], '/');
    long total = 0, n;
    int i;

    name = name != NULL ? name + 1 : argv[0];
    if (strncmp(name, "lt-", 3) == 0) { /* a libtool wrapper's binary */
        name += 3;
    }
    /* Every harness must survive the empty input. */
    LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
    if (argc > 1) {
        for (i = 1; i < argc; i++) {
            if ((n = run_path(argv[i])) < 0) {
                return 1;
            }
            total += n;
        }
    } else if (top != NULL) {
        static const char *const kinds[] = {"corpus", "repro"};
        size_t k;

        for (k = 0; k < 2; k++) {
            char *dir = malloc(strlen(top) + strlen(name) + 32);

            if (dir == NULL) {
                return 1;
            }
            sprintf(dir, "%s/tests/fuzz/%s/%s", top, kinds[k], name);
            n = run_dir(dir);
            free(dir);
            if (n < 0) {
                return 1;
            }
            printf("%s: %ld inputs from tests/fuzz/%s/%s\n", name, n, kinds[k], name);
            total += n;
        }
    } else {
        fprintf(stderr, "%s: give files or directories, or set CMP_TOP_SRCDIR\n", name);
        return 77;
    }
    printf("%s: replayed %ld inputs\n", name, total);
    return total > 0 ? 0 : 77;
}
