module github.com/onemin/onemin

go 1.24

require github.com/shopspring/decimal v1.4.0
