/* The key file made by several processes at once (serve, worker and
 * collect started together on a new database): each must load the one
 * key, none may see the file before its 32 bytes are in it ("key file
 * holds 0 bytes" was seen by a worker starting beside another). Children
 * are released together through a pipe, 30 rounds of 12. */
#include "testutil.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/secret.h"

#define CHILDREN 12
#define ROUNDS 30

static int child(int gate, const char *path)
{
    struct secret_key *k = NULL;
    struct buf err;
    char c;
    enum err rc;

    buf_init(&err, 1024);
    if (read(gate, &c, 1) != 0) /* returns 0 when the parent closes it */
        return 3;
    rc = secret_key_load(path, true, &k, &err);
    if (rc != ERR_OK)
        fprintf(stderr, "child %d: %s\n", (int)getpid(), buf_cstr(&err));
    secret_key_destroy(k);
    buf_free(&err);
    return rc == ERR_OK ? 0 : 1;
}

static void test_key_made_at_once(void **state)
{
    char dir[] = "/tmp/mediadash-secret-XXXXXX";
    char path[128];
    int failed = 0;

    (void)state;
    assert_true(sodium_init() >= 0);
    assert_non_null(mkdtemp(dir));
    for (int round = 0; round < ROUNDS; round++) {
        int gate[2];
        pid_t pid[CHILDREN];
        struct stat sb;

        snprintf(path, sizeof path, "%s/k%d.key", dir, round);
        assert_int_equal(pipe(gate), 0);
        for (int i = 0; i < CHILDREN; i++) {
            pid[i] = fork();
            assert_true(pid[i] >= 0);
            if (pid[i] == 0) {
                close(gate[1]);
                _exit(child(gate[0], path));
            }
        }
        close(gate[0]);
        close(gate[1]); /* release them all */
        for (int i = 0; i < CHILDREN; i++) {
            int st = 0;
            assert_int_equal(waitpid(pid[i], &st, 0), pid[i]);
            if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
                failed++;
        }
        assert_int_equal(stat(path, &sb), 0);
        assert_int_equal(sb.st_size, 32);
        assert_int_equal(sb.st_mode & 0777, 0600);
        unlink(path);
    }
    /* Nothing else is left in the directory (no temporary files). */
    assert_int_equal(rmdir(dir), 0);
    if (failed)
        fail_msg("%d of %d loads failed", failed, CHILDREN * ROUNDS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_made_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
