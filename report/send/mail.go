package send

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
)

// Mail sends messages as plain-text e-mail over SMTP (net/smtp): it
// connects to Addr, says EHLO, upgrades with STARTTLS when the server offers
// it, authenticates when Auth is set, and hands over one message to every
// recipient. A Mail is safe for concurrent use once its fields are set.
type Mail struct {
	// Addr is the server's host:port ("smtp.example.com:587").
	Addr string
	// From is the sender's address and To the recipients', plain or
	// with a name ("Salon <bot@salon.example>").
	From string
	To   []string
	// Auth authenticates the session (smtp.PlainAuth); nil means none.
	// net/smtp sends PLAIN credentials only over TLS or to localhost.
	Auth smtp.Auth
	// TLS configures STARTTLS; nil means the server name of Addr.
	TLS *tls.Config
	// LocalName is the name given in EHLO; empty means "localhost".
	LocalName string
}

// Send delivers m to every recipient. The subject is encoded for UTF-8
// (RFC 2047) and the body quoted-printable. ctx bounds the whole exchange.
func (s *Mail) Send(ctx context.Context, m Message) error {
	if s.Addr == "" || s.From == "" || len(s.To) == 0 {
		return fmt.Errorf("%w: mail needs an address, a sender and a recipient", ErrConfig)
	}
	if strings.TrimSpace(m.Text) == "" {
		return ErrEmpty
	}
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return fmt.Errorf("send: mail: sender %q: %w", s.From, err)
	}
	to := make([]*mail.Address, len(s.To))
	for i, a := range s.To {
		if to[i], err = mail.ParseAddress(a); err != nil {
			return fmt.Errorf("send: mail: recipient %q: %w", a, err)
		}
	}
	msg, err := compose(from, to, m)
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("send: mail: address %q: %w", s.Addr, err)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("send: mail: %w", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	err = s.session(conn, host, from, to, msg)
	if ctx.Err() != nil {
		return fmt.Errorf("send: mail: %w", ctx.Err())
	}
	return err
}

func (s *Mail) session(conn net.Conn, host string, from *mail.Address, to []*mail.Address, msg []byte) error {
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("send: mail: %w", err)
	}
	defer c.Close()
	name := s.LocalName
	if name == "" {
		name = "localhost"
	}
	if err := c.Hello(name); err != nil {
		return fmt.Errorf("send: mail: EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host}
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("send: mail: STARTTLS: %w", err)
		}
	}
	if s.Auth != nil {
		if err := c.Auth(s.Auth); err != nil {
			return fmt.Errorf("send: mail: AUTH: %w", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("send: mail: MAIL FROM: %w", err)
	}
	for _, a := range to {
		if err := c.Rcpt(a.Address); err != nil {
			return fmt.Errorf("send: mail: RCPT TO %s: %w", a.Address, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("send: mail: DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("send: mail: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("send: mail: end of DATA: %w", err)
	}
	if err := c.Quit(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("send: mail: QUIT: %w", err)
	}
	return nil
}

// compose writes the message: headers, then the text quoted-printable with
// CRLF line ends.
func compose(from *mail.Address, to []*mail.Address, m Message) ([]byte, error) {
	var b bytes.Buffer
	rcpts := make([]string, len(to))
	for i, a := range to {
		rcpts[i] = a.String()
	}
	b.WriteString("From: " + from.String() + "\r\n")
	b.WriteString("To: " + strings.Join(rcpts, ", ") + "\r\n")
	b.WriteString("Subject: " + mime.QEncoding.Encode("utf-8", oneLine(m.Subject)) + "\r\n")
	b.WriteString("MIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\n")
	b.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	text := strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(text)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// oneLine keeps a header value on one line: CR and LF become spaces, so a
// subject cannot add headers.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

// All returns a Sender that sends to each of senders in turn and returns
// their errors joined (nil when every one succeeded): the alert goes to the
// mailbox even when Telegram is down.
func All(senders ...Sender) Sender {
	return SenderFunc(func(ctx context.Context, m Message) error {
		var errs []error
		for _, s := range senders {
			if err := s.Send(ctx, m); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	})
}
