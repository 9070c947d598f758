package headerlist_test

import (
	"fmt"

	"github.com/corsfetch/corsfetch/internal/headerlist"
)

func ExampleExtractTokens() {
	// Access-Control-Allow-Methods sent twice: both fields count.
	e, st := headerlist.ExtractTokens([]string{"GET, PUT", "patch"})
	fmt.Println(st, e.Contains("patch"), e.Contains("PATCH"))

	// One bad field fails the whole header: nothing of it is allowed.
	_, st = headerlist.ExtractTokens([]string{"PUT, bad method"})
	fmt.Println(st)
	// Output:
	// parsed true false
	// failure
}

func ExampleSplit() {
	sp := headerlist.Split(`GET, "TRACE, x",`)
	for {
		item, ok := sp.Next()
		if !ok {
			break
		}
		fmt.Printf("%q\n", item)
	}
	// Output:
	// "GET"
	// "\"TRACE, x\""
	// ""
}
