package send

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// fakeBotAPI answers sendMessage as the Bot API does and records what it
// was sent.
type fakeBotAPI struct {
	mu    sync.Mutex
	paths []string
	sent  []map[string]any
	reply func(w http.ResponseWriter)
}

func (f *fakeBotAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, `{"ok":false,"error_code":400,"description":"Bad Request: not a JSON POST"}`, http.StatusBadRequest)
		return
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, `{"ok":false,"error_code":400,"description":"Bad Request: bad JSON"}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.paths = append(f.paths, r.URL.Path)
	f.sent = append(f.sent, body)
	f.mu.Unlock()
	if f.reply != nil {
		f.reply(w)
		return
	}
	io.WriteString(w, `{"ok":true,"result":{"message_id":1}}`)
}

func TestTelegramSends(t *testing.T) {
	api := &fakeBotAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	tg := &Telegram{Token: "123:ABC", ChatID: "-100500", BaseURL: srv.URL, Client: srv.Client()}
	if err := tg.Send(context.Background(), Message{Subject: "Leads Tue", Text: "New leads: 5"}); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{"chat_id": "-100500", "text": "Leads Tue\n\nNew leads: 5"}}
	if diff := cmp.Diff(want, api.sent); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/bot123:ABC/sendMessage"}, api.paths); diff != "" {
		t.Errorf("path (-want +got):\n%s", diff)
	}
}

func TestTelegramCutsLongText(t *testing.T) {
	api := &fakeBotAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	tg := &Telegram{Token: "t", ChatID: "1", BaseURL: srv.URL}
	if err := tg.Send(context.Background(), Message{Text: strings.Repeat("ы", 5000)}); err != nil {
		t.Fatal(err)
	}
	text := api.sent[0]["text"].(string)
	if n := utf8.RuneCountInString(text); n != MaxTelegramText || !strings.HasSuffix(text, "…") {
		t.Errorf("sent %d characters ending %q, want %d ending in …", n, text[len(text)-6:], MaxTelegramText)
	}
}

func TestTelegramErrors(t *testing.T) {
	tests := []struct {
		reason string
		reply  func(w http.ResponseWriter)
		tg     Telegram
		want   *APIError
		is     error
	}{
		{reason: "chat not found", reply: func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`)
		}, want: &APIError{Status: 400, Code: 400, Description: "Bad Request: chat not found"}},
		{reason: "flood control", reply: func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}`)
		}, want: &APIError{Status: 429, Code: 429, Description: "Too Many Requests: retry after 7", RetryAfter: 7}},
		{reason: "a proxy's HTML page", reply: func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, `<html>bad gateway</html>`)
		}, want: &APIError{Status: 502, Code: 502, Description: "not a Bot API answer: Bad Gateway"}},
		{reason: "no token", tg: Telegram{ChatID: "1"}, is: ErrConfig},
		{reason: "no chat", tg: Telegram{Token: "t"}, is: ErrConfig},
	}
	for _, tc := range tests {
		api := &fakeBotAPI{reply: tc.reply}
		srv := httptest.NewServer(api)
		tg := tc.tg
		if tg.Token == "" && tg.ChatID == "" || tc.is == nil {
			tg = Telegram{Token: "t", ChatID: "1"}
		}
		tg.BaseURL = srv.URL
		err := tg.Send(context.Background(), Message{Text: "x"})
		srv.Close()
		if tc.is != nil {
			if !errors.Is(err, tc.is) {
				t.Errorf("%s: err = %v, want %v", tc.reason, err, tc.is)
			}
			continue
		}
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Errorf("%s: err = %v, want *APIError", tc.reason, err)
			continue
		}
		if diff := cmp.Diff(tc.want, ae); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
		}
	}
}

func TestTelegramKeepsTokenOutOfErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	tg := &Telegram{Token: "999:SECRET", ChatID: "1", BaseURL: url}
	err := tg.Send(context.Background(), Message{Text: "x"})
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("the token leaks into the error: %v", err)
	}
}

func TestTelegramHonoursContext(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := (&Telegram{Token: "t", ChatID: "1", BaseURL: srv.URL}).Send(ctx, Message{Text: "x"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the deadline", err)
	}
}

// smtpServer is a tiny SMTP server on 127.0.0.1 that accepts one message
// per session and records the envelope and the data.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	from string
	to   []string
	data string
	wg   sync.WaitGroup
	// rejectRcpt makes RCPT TO fail with 550.
	rejectRcpt bool
}

func newSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *smtpServer) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.session(c)
		}()
	}
}

func (s *smtpServer) session(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		upper := strings.ToUpper(cmd)
		switch {
		case strings.HasPrefix(upper, "EHLO"):
			say("250-fake")
			say("250 8BITMIME")
		case strings.HasPrefix(upper, "MAIL FROM:"):
			s.mu.Lock()
			s.from = angle(cmd)
			s.mu.Unlock()
			say("250 ok")
		case strings.HasPrefix(upper, "RCPT TO:"):
			if s.rejectRcpt {
				say("550 no such user")
				continue
			}
			s.mu.Lock()
			s.to = append(s.to, angle(cmd))
			s.mu.Unlock()
			say("250 ok")
		case upper == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			s.mu.Lock()
			s.data = b.String()
			s.mu.Unlock()
			say("250 queued")
		case upper == "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// angle returns the address between < and > of a MAIL or RCPT command.
func angle(cmd string) string {
	_, rest, _ := strings.Cut(cmd, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

func TestMailSends(t *testing.T) {
	srv := newSMTPServer(t)
	m := &Mail{Addr: srv.ln.Addr().String(), From: "Salon <bot@salon.example>", To: []string{"owner@salon.example", "Manager <m@salon.example>"}}
	text := "SLA rate 50.0% — red\nNew leads: 5"
	if err := m.Send(context.Background(), Message{Subject: "Лиды: SLA alert\r\nBcc: evil@example.com", Text: text}); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if diff := cmp.Diff([]string{"owner@salon.example", "m@salon.example"}, srv.to); diff != "" {
		t.Errorf("recipients (-want +got):\n%s", diff)
	}
	if srv.from != "bot@salon.example" {
		t.Errorf("MAIL FROM %q", srv.from)
	}
	msg, err := mail.ReadMessage(strings.NewReader(srv.data))
	if err != nil {
		t.Fatalf("not a mail message: %v\n%s", err, srv.data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if subject != "Лиды: SLA alert  Bcc: evil@example.com" || msg.Header.Get("Bcc") != "" {
		t.Errorf("subject %q, Bcc %q: a subject must not add headers", subject, msg.Header.Get("Bcc"))
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(strings.TrimRight(string(body), "\r\n"), "\r\n", "\n"); got != text {
		t.Errorf("body %q, want %q", got, text)
	}
}

func TestMailErrors(t *testing.T) {
	srv := newSMTPServer(t)
	srv.rejectRcpt = true
	addr := srv.ln.Addr().String()
	tests := []struct {
		reason string
		mail   Mail
		msg    Message
		want   string
	}{
		{"recipient refused", Mail{Addr: addr, From: "a@b.example", To: []string{"c@d.example"}}, Message{Text: "x"}, "550"},
		{"bad sender", Mail{Addr: addr, From: "not an address", To: []string{"c@d.example"}}, Message{Text: "x"}, "sender"},
		{"no recipient", Mail{Addr: addr, From: "a@b.example"}, Message{Text: "x"}, "not configured"},
		{"empty text", Mail{Addr: addr, From: "a@b.example", To: []string{"c@d.example"}}, Message{Text: " "}, "empty"},
		{"nobody listens", Mail{Addr: "127.0.0.1:1", From: "a@b.example", To: []string{"c@d.example"}}, Message{Text: "x"}, "send: mail"},
	}
	for _, tc := range tests {
		err := tc.mail.Send(context.Background(), tc.msg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", tc.reason, err, tc.want)
		}
	}
}

func TestAllSendsToEveryOne(t *testing.T) {
	var got []string
	ok := SenderFunc(func(_ context.Context, m Message) error { got = append(got, m.Text); return nil })
	broken := SenderFunc(func(context.Context, Message) error { return errors.New("down") })
	err := All(broken, ok).Send(context.Background(), Message{Text: "alert"})
	if err == nil || err.Error() != "down" {
		t.Errorf("err = %v, want down", err)
	}
	if diff := cmp.Diff([]string{"alert"}, got); diff != "" {
		t.Errorf("the working sender got (-want +got):\n%s", diff)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		reason, in string
		n          int
		want       string
	}{
		{"short enough", "abc", 3, "abc"},
		{"cut with an ellipsis", "abcdef", 4, "abc…"},
		{"never splits a character", "ыыыы", 3, "ыы…"},
		{"zero", "abc", 0, ""},
	}
	for _, tc := range tests {
		if got := Truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("%s: Truncate(%q, %d) = %q, want %q", tc.reason, tc.in, tc.n, got, tc.want)
		}
	}
}
