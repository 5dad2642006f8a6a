package webhook_test

import (
	"fmt"
	"time"

	"github.com/onemin/onemin/internal/webhook"
)

func ExampleReplays() {
	seen := webhook.NewReplays(0, 24*time.Hour)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	fmt.Println(seen.Claim("wamid.1", at))
	fmt.Println(seen.Claim("wamid.1", at.Add(time.Minute))) // the system's retry
	fmt.Println(seen.Claim("wamid.1", at.Add(25*time.Hour)))
	// Output:
	// true
	// false
	// true
}

func ExampleCheckSHA256() {
	secret, body := []byte("app-secret"), []byte(`{"object":"instagram"}`)
	header := "sha256=" + webhook.SignatureSHA256(secret, body)
	fmt.Println(webhook.CheckSHA256(secret, body, header))
	fmt.Println(webhook.CheckSHA256(secret, []byte(`{"object":"page"}`), header))
	// Output:
	// true
	// false
}
