//go:build race

package preflightcache_test

const raceEnabled = true
