// Package testservers finds the throwaway Redis and PostgreSQL servers that testservers.sh
// (make test-servers) starts for the tests of the shared backends.
package testservers

import (
	"os"
	"testing"
)

// Environment variables naming the test servers.
const (
	RedisEnv    = "FRONTDESK_TEST_REDIS_URL"
	PostgresEnv = "FRONTDESK_TEST_POSTGRES_URL"
)

// URL returns the server address in the environment variable env. When it is unset the test
// is skipped on a developer's machine and fails in CI (CI set), where the servers must run.
func URL(t testing.TB, env string) string {
	t.Helper()
	u := os.Getenv(env)
	if u != "" {
		return u
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not set; CI must run the test servers (make test-servers)", env)
	}
	t.Skipf("%s is not set; run `make test-servers` and export what `core/store/testservers/testservers.sh env` prints", env)
	return ""
}
