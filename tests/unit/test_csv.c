/* The RFC 4180 CSV reader (core/csv). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/csv.h"

struct fx {
    struct csv c;
    struct buf why;
};

static int fx_setup(void **state)
{
    struct fx *f = xcalloc(1, sizeof *f);
    buf_init(&f->why, 512);
    csv_init(&f->c, "", 0);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    csv_free(&f->c);
    buf_free(&f->why);
    free(f);
    return 0;
}

/* Start reading the n bytes at s (a string literal, NULs allowed). */
static struct csv *open_n(void **state, const char *s, size_t n)
{
    struct fx *f = *state;
    csv_free(&f->c);
    csv_init(&f->c, s, n);
    buf_reset(&f->why);
    return &f->c;
}
#define OPEN(lit) open_n(state, (lit), sizeof(lit) - 1)

static enum err next(void **state)
{
    struct fx *f = *state;
    return csv_next(&f->c, &f->why);
}

static const char *why(void **state)
{
    return buf_cstr(&((struct fx *)*state)->why);
}

static void test_quoting(void **state)
{
    struct csv *c = OPEN("plain,\"with, comma\",\"say \"\"hi\"\"\",\"\",x\n");

    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(c->nfields, 5);
    assert_int_equal(c->line, 1);
    assert_string_equal(csv_get(c, 0), "plain");
    assert_string_equal(csv_get(c, 1), "with, comma");
    assert_string_equal(csv_get(c, 2), "say \"hi\"");
    assert_int_equal(csv_len(c, 2), 8);
    assert_string_equal(csv_get(c, 3), "");
    assert_string_equal(csv_get(c, 4), "x");
    assert_string_equal(csv_get(c, 5), ""); /* past the end */
    assert_int_equal(csv_len(c, 99), 0);
    assert_int_equal(next(state), ERR_NOTFOUND);
    assert_int_equal(next(state), ERR_NOTFOUND); /* and stays there */
}

static void test_line_breaks(void **state)
{
    /* CRLF, LF and a lone CR end records; blank lines are skipped but
     * counted; a line break inside quotes is data, kept as written. */
    struct csv *c =
        OPEN("a,b\r\n\r\n\"two\r\nlines\",\"and\nthis\"\n\n\nc\rd,\nlast,line");

    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(c->line, 1);
    assert_int_equal(c->nfields, 2);
    assert_string_equal(csv_get(c, 1), "b");
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(c->line, 3);
    assert_string_equal(csv_get(c, 0), "two\r\nlines");
    assert_string_equal(csv_get(c, 1), "and\nthis");
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(c->line, 8);
    assert_int_equal(c->nfields, 1);
    assert_string_equal(csv_get(c, 0), "c");
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(c->line, 9);
    assert_int_equal(c->nfields, 2); /* a trailing comma: one empty field */
    assert_string_equal(csv_get(c, 0), "d");
    assert_string_equal(csv_get(c, 1), "");
    assert_int_equal(next(state), ERR_OK); /* no final line break */
    assert_int_equal(c->line, 10);
    assert_string_equal(csv_get(c, 1), "line");
    assert_int_equal(next(state), ERR_NOTFOUND);
}

static void test_empty_inputs(void **state)
{
    struct csv *c = OPEN("");
    assert_int_equal(next(state), ERR_NOTFOUND);
    assert_int_equal(c->nfields, 0);
    OPEN("\r\n\n\r");
    assert_int_equal(next(state), ERR_NOTFOUND);
    c = OPEN(",");
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(c->nfields, 2);
    c = OPEN("\"\"");
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(c->nfields, 1);
    assert_int_equal(csv_len(c, 0), 0);
}

static void test_lenient_and_binary(void **state)
{
    /* A quote inside an unquoted field is an ordinary character. */
    struct csv *c = OPEN("5\" screen,a\"b\"\n");
    assert_int_equal(next(state), ERR_OK);
    assert_string_equal(csv_get(c, 0), "5\" screen");
    assert_string_equal(csv_get(c, 1), "a\"b\"");
    /* NUL bytes pass through; csv_len tells the real length. */
    c = OPEN("x\0y,\"q\0\"\n");
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(csv_len(c, 0), 3);
    assert_int_equal(memcmp(csv_get(c, 0), "x\0y", 4), 0);
    assert_int_equal(csv_len(c, 1), 2);
}

static void test_quote_errors(void **state)
{
    struct csv *c = OPEN("h1,h2\n\"ok\nstill ok\",1\nx,\"never closes\n,,\n");

    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(c->line, 2);
    /* The message names the line the quote opens on. */
    assert_int_equal(next(state), ERR_PARSE);
    assert_non_null(strstr(why(state), "line 4: unterminated quoted field"));
    assert_int_equal(c->nfields, 0);
    assert_int_equal(next(state), ERR_NOTFOUND); /* stopped at the error */

    OPEN("a,b\n1,\"quoted\"junk,3\n");
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(next(state), ERR_PARSE);
    assert_string_equal(why(state),
                        "line 2: text after the closing quote of field 2");
    OPEN("\"");
    assert_int_equal(next(state), ERR_PARSE);
    assert_non_null(strstr(why(state), "line 1: unterminated"));
}

static void test_field_limits(void **state)
{
    struct buf in;
    struct csv *c;

    /* CSV_MAX_FIELD bytes fit; one more does not, quoted or not. */
    buf_init(&in, (size_t)1 << 20);
    assert_int_equal(buf_puts(&in, "h\n"), ERR_OK);
    for (size_t i = 0; i < CSV_MAX_FIELD; i++)
        assert_int_equal(buf_putc(&in, 'x'), ERR_OK);
    c = open_n(state, in.data, in.len);
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(csv_len(c, 0), CSV_MAX_FIELD);
    assert_int_equal(buf_puts(&in, "x\n"), ERR_OK);
    open_n(state, in.data, in.len);
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(next(state), ERR_TOOBIG);
    assert_non_null(strstr(why(state), "line 2: field 1 is over 65536 bytes"));

    buf_reset(&in);
    assert_int_equal(buf_puts(&in, "\"a\n"), ERR_OK);
    for (size_t i = 0; i < CSV_MAX_FIELD; i++) /* "" is one quote */
        assert_int_equal(buf_puts(&in, "\"\""), ERR_OK);
    assert_int_equal(buf_puts(&in, "b\""), ERR_OK);
    open_n(state, in.data, in.len);
    assert_int_equal(next(state), ERR_TOOBIG);
    assert_non_null(strstr(why(state), "line 2: field 1 is over"));
    buf_free(&in);
}

static void test_record_limit(void **state)
{
    struct buf in;
    struct csv *c;

    buf_init(&in, (size_t)1 << 20);
    for (size_t i = 1; i < CSV_MAX_FIELDS; i++)
        assert_int_equal(buf_puts(&in, "f,"), ERR_OK);
    assert_int_equal(buf_puts(&in, "last\n"), ERR_OK);
    c = open_n(state, in.data, in.len);
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(c->nfields, CSV_MAX_FIELDS);
    assert_string_equal(csv_get(c, CSV_MAX_FIELDS - 1), "last");
    assert_int_equal(buf_puts(&in, "f,"), ERR_OK);
    for (size_t i = 0; i < CSV_MAX_FIELDS; i++)
        assert_int_equal(buf_puts(&in, ","), ERR_OK);
    open_n(state, in.data, in.len);
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(next(state), ERR_TOOBIG);
    assert_string_equal(why(state), "line 2: more than 256 fields in a record");
    buf_free(&in);
}

static void test_reuse_and_free(void **state)
{
    /* Fields of a short record after a long one hold only their own. */
    struct csv *c = OPEN("long value,b,c\nx\n");
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(next(state), ERR_OK);
    assert_int_equal(c->nfields, 1);
    assert_string_equal(csv_get(c, 0), "x");
    assert_string_equal(csv_get(c, 1), "");
    csv_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_quoting, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_line_breaks, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_empty_inputs, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_lenient_and_binary, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_quote_errors, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_field_limits, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_record_limit, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_reuse_and_free, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
