module github.com/corsfetch/corsfetch

go 1.25.0

require (
	github.com/google/go-cmp v0.7.0
	golang.org/x/net v0.58.0
)

require golang.org/x/text v0.41.0 // indirect
