/*
 * A ClickHouse server from libchdb.so (the embedded ClickHouse that npm ships as
 * @chdb/lib-linux-x64-gnu). clickhouse-local's arguments go straight through; the query
 * given by ./pipeline opens the HTTP and native listeners and then runs until SIGTERM,
 * because the listeners live only as long as that query.
 */
#include <stdio.h>

struct chdb_result;
extern struct chdb_result *chdb_query_cmdline(int argc, char **argv);
extern const char *chdb_result_error(struct chdb_result *result);

int main(int argc, char **argv) {
    struct chdb_result *result = chdb_query_cmdline(argc, argv);
    const char *error = result ? chdb_result_error(result) : "libchdb returned no result";
    if (error && *error) {
        fprintf(stderr, "clickhouse: %s\n", error);
        return 1;
    }
    return 0;
}
