package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

const (
	telegramSecret = "tg_secret-123"
	whatsappSecret = "wa-app-secret"
	verifyToken    = "wa-verify"
)

// start runs the program on a random loopback port with a clock stopped at
// 09:00:30 on 2 March 2026, and returns its base URL.
func start(t *testing.T, args ...string) string {
	t.Helper()
	env := map[string]string{"ONEMIN_TELEGRAM_SECRET": telegramSecret, "ONEMIN_WHATSAPP_APP_SECRET": whatsappSecret,
		"ONEMIN_WHATSAPP_VERIFY_TOKEN": verifyToken}
	clock := func() time.Time { return time.Date(2026, 3, 2, 9, 0, 30, 0, time.UTC) }
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	log := new(lockedBuffer)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), func(k string) string { return env[k] }, log, ready, clock)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("run exited %d", code)
		}
		if t.Failed() {
			t.Log(log.String())
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr
	case code := <-done:
		t.Fatalf("run exited %d before listening", code)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not listen within 10 s")
	}
	return ""
}

// lockedBuffer is a buffer for the log of goroutines that may still
// write as the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func post(t *testing.T, url string, body []byte, header, value string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(header, value)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// signWhatsApp signs body as Meta does: "sha256=" and the hex HMAC-SHA256
// of the raw body under the app secret.
func signWhatsApp(body []byte) string {
	m := hmac.New(sha256.New, []byte(whatsappSecret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// scrape reads /metrics and returns the value of every onemin_ series
// (a histogram's by its count, its buckets under name_bucket) by its name
// and labels, step left out.
func scrape(t *testing.T, base string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for name, mf := range families {
		if !strings.HasPrefix(name, "onemin_") {
			continue
		}
		for _, m := range mf.GetMetric() {
			out[seriesName(name, m)] = value(m)
			for _, b := range m.GetHistogram().GetBucket() {
				out[fmt.Sprintf("%s_bucket%s le=%g", name, seriesName("", m), b.GetUpperBound())] = float64(b.GetCumulativeCount())
			}
		}
	}
	return out
}

func seriesName(name string, m *dto.Metric) string {
	var labels []string
	for _, lp := range m.GetLabel() {
		if lp.GetName() != "step" {
			labels = append(labels, lp.GetName()+"="+lp.GetValue())
		}
	}
	return name + "{" + strings.Join(labels, ",") + "}"
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Histogram != nil:
		return float64(m.GetHistogram().GetSampleCount())
	}
	return m.GetUntyped().GetValue()
}

func TestWebhooksToMetrics(t *testing.T) {
	base := start(t)
	msg, reply := fixture(t, "whatsapp_message.json"), fixture(t, "whatsapp_reply.json")
	tg := fixture(t, "telegram_message.json")
	steps := []struct {
		reason string
		url    string
		body   []byte
		header string
		value  string
		want   int
	}{
		{"a customer writes on WhatsApp at 09:00:00", "/webhook/whatsapp", msg, "X-Hub-Signature-256", signWhatsApp(msg), 200},
		{"anna replies at 09:00:20", "/webhook/whatsapp", reply, "X-Hub-Signature-256", signWhatsApp(reply), 200},
		{"Meta retries the reply", "/webhook/whatsapp", reply, "X-Hub-Signature-256", signWhatsApp(reply), 200},
		{"a forged delivery", "/webhook/whatsapp", msg, "X-Hub-Signature-256", "sha256=" + strings.Repeat("0", 64), 401},
		{"a customer writes on Telegram at 09:00:00", "/webhook/telegram", tg, "X-Telegram-Bot-Api-Secret-Token", telegramSecret, 200},
		{"Telegram with a wrong secret", "/webhook/telegram", tg, "X-Telegram-Bot-Api-Secret-Token", "wrong", 401},
	}
	for _, s := range steps {
		if got := post(t, base+s.url, s.body, s.header, s.value); got != s.want {
			t.Errorf("%s: status %d, want %d", s.reason, got, s.want)
		}
	}
	// As of 09:00:25 (the clock less 5 s of lateness): WhatsApp was
	// answered in 20 s, within 60 s, which the observer's histogram holds;
	// Telegram has waited 25 s and is pending; three events reached the
	// tracker (the retry and the refused requests did not).
	want := map[string]float64{
		"onemin_leads{channel=telegram,outcome=breached}":                         0,
		"onemin_leads{channel=telegram,outcome=met}":                              0,
		"onemin_leads{channel=telegram,outcome=pending}":                          1,
		"onemin_leads{channel=whatsapp,outcome=breached}":                         0,
		"onemin_leads{channel=whatsapp,outcome=met}":                              1,
		"onemin_leads{channel=whatsapp,outcome=pending}":                          0,
		"onemin_leads_unanswered{channel=telegram}":                               1,
		"onemin_leads_unanswered{channel=whatsapp}":                               0,
		"onemin_observer_conversations_open{}":                                    2,
		"onemin_observer_messages_dropped_total{}":                                0,
		"onemin_sla_ratio{channel=whatsapp}":                                      1,
		"onemin_sla_target_seconds{channel=telegram}":                             60,
		"onemin_sla_target_seconds{channel=whatsapp}":                             60,
		"onemin_step_duration_percentile_seconds{channel=whatsapp,percentile=50}": 20,
		"onemin_step_duration_percentile_seconds{channel=whatsapp,percentile=90}": 20,
		"onemin_step_duration_percentile_seconds{channel=whatsapp,percentile=99}": 20,
		"onemin_step_duration_mean_seconds{channel=whatsapp}":                     20,
		"onemin_agent_leads{agent=anna,outcome=breached}":                         0,
		"onemin_agent_leads{agent=anna,outcome=met}":                              1,
		"onemin_agent_leads{agent=anna,outcome=pending}":                          0,
		"onemin_agent_leads{agent=none,outcome=breached}":                         0,
		"onemin_agent_leads{agent=none,outcome=met}":                              0,
		"onemin_agent_leads{agent=none,outcome=pending}":                          1,
		"onemin_agent_leads_unanswered{agent=anna}":                               0,
		"onemin_agent_leads_unanswered{agent=none}":                               1,
		"onemin_agent_sla_ratio{agent=anna}":                                      1,
		"onemin_agent_step_duration_percentile_seconds{agent=anna,percentile=50}": 20,
		"onemin_agent_step_duration_percentile_seconds{agent=anna,percentile=90}": 20,
		"onemin_agent_step_duration_percentile_seconds{agent=anna,percentile=99}": 20,
		"onemin_agent_step_duration_mean_seconds{agent=anna}":                     20,
		"onemin_step_duration_seconds{channel=whatsapp}":                          1,
		"onemin_step_duration_seconds_bucket{channel=whatsapp} le=1":              0,
		"onemin_step_duration_seconds_bucket{channel=whatsapp} le=3":              0,
		"onemin_step_duration_seconds_bucket{channel=whatsapp} le=10":             0,
		"onemin_step_duration_seconds_bucket{channel=whatsapp} le=30":             1,
		"onemin_step_duration_seconds_bucket{channel=whatsapp} le=60":             1,
		"onemin_step_duration_seconds_bucket{channel=whatsapp} le=180":            1,
		"onemin_step_duration_seconds_bucket{channel=whatsapp} le=900":            1,
		"onemin_step_duration_seconds_bucket{channel=whatsapp} le=3600":           1,
		"onemin_step_duration_seconds_bucket{channel=whatsapp} le=14400":          1,
		"onemin_step_duration_seconds_bucket{channel=whatsapp} le=86400":          1,
		"onemin_step_duration_seconds_bucket{channel=whatsapp} le=+Inf":           1,
		"onemin_tracker_events_total{state=applied}":                              3,
		"onemin_tracker_events_total{state=ignored}":                              0,
		"onemin_tracker_events_total{state=out_of_range}":                         0,
		"onemin_tracker_events_total{state=rejected}":                             0,
		"onemin_tracker_events_total{state=too_late}":                             0,
		"onemin_tracker_events_total{state=unlinked}":                             0,
		"onemin_tracker_events_held{}":                                            0,
		"onemin_tracker_conversations_open{}":                                     2,
		"onemin_tracker_conversations_closed_total{}":                             0,
		"onemin_tracker_conversations_closed_unanswered_total{}":                  0,
		"onemin_tracker_notices_total{}":                                          0,
		"onemin_tracker_notices_dropped_total{}":                                  0,
	}
	if diff := cmp.Diff(want, scrape(t, base)); diff != "" {
		t.Errorf("/metrics (-want +got):\n%s", diff)
	}
}

func TestWhatsAppHandshake(t *testing.T) {
	base := start(t)
	for _, tt := range []struct {
		reason string
		token  string
		status int
		body   string
	}{
		{"the dashboard's token", verifyToken, 200, "1158201444"},
		{"another token", "guess", 403, ""},
	} {
		resp, err := http.Get(base + "/webhook/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" + tt.token)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || (tt.body != "" && string(body) != tt.body) {
			t.Errorf("%s: %d %q, want %d %q", tt.reason, resp.StatusCode, body, tt.status, tt.body)
		}
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		reason string
		args   []string
		env    map[string]string
		want   string // in the error; "" for none
	}{
		{"no secret", nil, nil, "ONEMIN_TELEGRAM_SECRET"},
		{"telegram only", nil, map[string]string{"ONEMIN_TELEGRAM_SECRET": "s"}, ""},
		{"stray argument", []string{"serve"}, map[string]string{"ONEMIN_TELEGRAM_SECRET": "s"}, `"serve"`},
		{"bad duration", []string{"-sla", "soon"}, map[string]string{"ONEMIN_TELEGRAM_SECRET": "s"}, "invalid value"},
	}
	for _, tt := range tests {
		_, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, &bytes.Buffer{})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.reason, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want one containing %s", tt.reason, err, tt.want)
		}
	}
	c, err := parseConfig(nil, func(k string) string { return map[string]string{"ONEMIN_WHATSAPP_APP_SECRET": "s"}[k] }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:8080" {
		t.Errorf("default address %q, want loopback 127.0.0.1:8080", c.addr)
	}
}
