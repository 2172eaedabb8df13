package usersync

// QueryCount reports the database round trips s made so far, for the tests
// and benchmarks that check which paths touch the database.
func QueryCount(s *Store) int64 { return s.queries.Load() }
