module github.com/onemin/onemin/bench

go 1.24

replace github.com/onemin/onemin => ../

require (
	github.com/DataDog/sketches-go v1.4.8
	github.com/HdrHistogram/hdrhistogram-go v1.4.0
	github.com/caio/go-tdigest/v4 v4.1.0
	github.com/google/go-cmp v0.7.0
	github.com/onemin/onemin v0.0.0-00010101000000-000000000000
)

require (
	github.com/shopspring/decimal v1.4.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
