package crm_test

import (
	"encoding/json"
	"fmt"

	"github.com/onemin/onemin/internal/crm"
)

func ExampleRecords() {
	pages := []string{`[{"id":1},{"id":2}]`, `[{"id":3}]`}
	walk := func(page func(json.RawMessage) error) error {
		for _, p := range pages {
			if err := page(json.RawMessage(p)); err != nil {
				return err
			}
		}
		return nil
	}
	split := func(raw json.RawMessage) ([]json.RawMessage, error) {
		var rs []json.RawMessage
		err := json.Unmarshal(raw, &rs)
		return rs, err
	}
	decode := func(r json.RawMessage) (int, error) {
		var v struct{ ID int }
		err := json.Unmarshal(r, &v)
		return v.ID, err
	}
	for id, err := range crm.Records("crm: /leads", walk, "decoding page", split, decode) {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(id)
		if id == 2 {
			break // the second page is never read
		}
	}
	// Output:
	// 1
	// 2
}
