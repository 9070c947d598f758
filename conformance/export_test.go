package conformance

// Internals for the tests of package conformance_test, which replay the
// corpus of package corpus (which imports this package).
var (
	ExpandURL    = expandURL
	ExpandValue  = expandValue
	ToByteString = toByteString
	TotalDelay   = totalDelay
)
