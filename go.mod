module github.com/onemin/onemin

go 1.24

require github.com/shopspring/decimal v1.4.0

require (
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/montanaflynn/stats v0.14.0 // indirect
	pgregory.net/rapid v1.2.0 // indirect
)
