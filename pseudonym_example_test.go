package onemin_test

import (
	"fmt"

	"github.com/onemin/onemin"
)

// Contact ids are replaced by keyed pseudonyms before the data leaves the
// business; the same phone always gets the same pseudonym under one key.
func ExamplePseudonymizer() {
	key := []byte("keep me secret: 32 random bytes!") // in real use, from a secret store
	p, err := onemin.NewPseudonymizer(key)
	if err != nil {
		panic(err)
	}
	phone, _ := onemin.NormalizePhone("8 (916) 123-45-67", "RU")
	e := onemin.Event{ID: "e1", Kind: onemin.Payment, ContactID: phone}
	p.PseudonymizeEvent(&e)
	fmt.Println(e.ContactID)
	fmt.Println(e.ContactID == p.Pseudonymize("+79161234567"))
	// Output:
	// 92221fa1c057d466d34a43a9deb8da36
	// true
}
