package send

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// DefaultTelegramURL is the Bot API's address, used when Telegram.BaseURL
// is empty.
const DefaultTelegramURL = "https://api.telegram.org"

// Telegram sends messages to one chat through the Telegram Bot API's
// sendMessage method, as plain text (no parse mode, so nothing in the text
// needs escaping). The subject, when set, is the first line. A Telegram is
// safe for concurrent use once its fields are set.
type Telegram struct {
	// Token is the bot's token from @BotFather ("123456:ABC-…"). It is
	// never written into errors.
	Token string
	// ChatID is the chat, group or channel: a number ("-1001234567890")
	// or a channel's "@name".
	ChatID string
	// BaseURL is the API's address; empty means DefaultTelegramURL. Tests
	// and self-hosted Bot API servers set it.
	BaseURL string
	// Client sends the request; nil means http.DefaultClient.
	Client *http.Client
	// Silent delivers the message without a sound.
	Silent bool
}

// APIError is the Bot API's answer when it refuses a message
// ({"ok": false, "error_code": …, "description": …}).
type APIError struct {
	// Status is the HTTP status code and Code the API's error_code.
	Status, Code int
	Description  string
	// RetryAfter is the number of seconds to wait before trying again,
	// when the API says so (error 429); zero otherwise.
	RetryAfter int
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("send: telegram: error %d: %s", e.Code, e.Description)
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %d s)", e.RetryAfter)
	}
	return s
}

// ErrConfig is wrapped by the error of a Sender that is missing a setting.
var ErrConfig = errors.New("send: not configured")

// Send posts m to the chat. The text is "Subject\n\nText", cut to
// MaxTelegramText characters. It returns *APIError when the API refuses it.
func (t *Telegram) Send(ctx context.Context, m Message) error {
	if t.Token == "" || t.ChatID == "" {
		return fmt.Errorf("%w: telegram needs a token and a chat id", ErrConfig)
	}
	text := m.Text
	if m.Subject != "" {
		text = m.Subject + "\n\n" + text
	}
	if strings.TrimSpace(text) == "" {
		return ErrEmpty
	}
	body, err := json.Marshal(struct {
		ChatID string `json:"chat_id"`
		Text   string `json:"text"`
		Silent bool   `json:"disable_notification,omitempty"`
	}{t.ChatID, Truncate(text, MaxTelegramText), t.Silent})
	if err != nil {
		return err
	}
	base := t.BaseURL
	if base == "" {
		base = DefaultTelegramURL
	}
	endpoint := strings.TrimRight(base, "/") + "/bot" + t.Token + "/sendMessage"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("send: telegram: bad base URL %q", base)
	}
	req.Header.Set("Content-Type", "application/json")
	client := t.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = strings.Replace(ue.URL, t.Token, "<token>", 1)
		}
		return fmt.Errorf("send: telegram: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("send: telegram: reading the answer: %w", err)
	}
	return parseAnswer(resp.StatusCode, raw)
}

// maxAnswer bounds the Bot API answer read: sendMessage answers with the
// message sent, a few kilobytes at most.
const maxAnswer = 1 << 20

// parseAnswer reads the Bot API's answer to sendMessage: nil for
// {"ok": true} with status 200, else an *APIError.
func parseAnswer(status int, raw []byte) error {
	var answer struct {
		OK          bool   `json:"ok"`
		Code        int    `json:"error_code"`
		Description string `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return &APIError{Status: status, Code: status, Description: "not a Bot API answer: " + http.StatusText(status)}
	}
	if !answer.OK || status != http.StatusOK {
		code := answer.Code
		if code == 0 {
			code = status
		}
		return &APIError{Status: status, Code: code, Description: answer.Description, RetryAfter: max(answer.Parameters.RetryAfter, 0)}
	}
	return nil
}
