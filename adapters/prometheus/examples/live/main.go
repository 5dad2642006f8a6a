package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/prometheus"
	"github.com/onemin/onemin/adapters/telegram"
	"github.com/onemin/onemin/adapters/whatsapp"
	"github.com/onemin/onemin/kpi"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stderr, nil, time.Now))
}

// config is what the command line and the environment say.
type config struct {
	addr           string
	target         time.Duration
	lateness       time.Duration
	telegramSecret string
	whatsappSecret string
	whatsappVerify string
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("live", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.DurationVar(&c.target, "sla", kpi.DefaultTarget, "first-reply SLA target")
	fs.DurationVar(&c.lateness, "lateness", 5*time.Second, "how long to hold events back so that late ones are placed in order")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: live [flags]\n\nenvironment: ONEMIN_TELEGRAM_SECRET, ONEMIN_WHATSAPP_APP_SECRET, ONEMIN_WHATSAPP_VERIFY_TOKEN\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.telegramSecret = getenv("ONEMIN_TELEGRAM_SECRET")
	c.whatsappSecret = getenv("ONEMIN_WHATSAPP_APP_SECRET")
	c.whatsappVerify = getenv("ONEMIN_WHATSAPP_VERIFY_TOKEN")
	if c.telegramSecret == "" && c.whatsappSecret == "" {
		return c, errors.New("set ONEMIN_TELEGRAM_SECRET or ONEMIN_WHATSAPP_APP_SECRET (or both)")
	}
	return c, nil
}

// newServer wires the webhooks to a tracker and the tracker to /metrics.
func newServer(c config, logger *log.Logger) (http.Handler, *kpi.Tracker, error) {
	tracker, err := kpi.NewTracker(kpi.TrackerOptions{
		SLA:      kpi.SLA{Default: c.target},
		GroupBy:  []kpi.Dimension{kpi.ByChannel, kpi.ByAgent},
		Lateness: c.lateness,
	})
	if err != nil {
		return nil, nil, err
	}
	collector, err := promkpi.New(tracker, promkpi.Options{})
	if err != nil {
		return nil, nil, err
	}
	observer, err := promkpi.NewObserver(tracker.Options(), promkpi.Options{})
	if err != nil {
		return nil, nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collector, observer, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Each delivery goes to the tracker (counts, outcomes, notices) and to
	// the observer (the histogram of first-reply times).
	sink := onemin.SinkFunc(func(ctx context.Context, events ...onemin.Event) error {
		return errors.Join(tracker.Add(ctx, events...), observer.Add(ctx, events...))
	})

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: logger}))
	if c.telegramSecret != "" {
		h, err := telegram.NewHandler(telegram.Options{
			SecretToken: c.telegramSecret,
			Sink:        sink,
			OnError:     func(r *http.Request, err *telegram.Error) { logger.Printf("telegram: %v", err) },
		})
		if err != nil {
			return nil, nil, err
		}
		mux.Handle("/webhook/telegram", h)
	}
	if c.whatsappSecret != "" {
		h, err := whatsapp.NewHandler(whatsapp.Options{
			AppSecret:   c.whatsappSecret,
			VerifyToken: c.whatsappVerify,
			Sink:        sink,
			OnError:     func(r *http.Request, err *whatsapp.Error) { logger.Printf("whatsapp: %v", err) },
		})
		if err != nil {
			return nil, nil, err
		}
		mux.Handle("/webhook/whatsapp", h)
	}
	return mux, tracker, nil
}

// run serves until ctx is done. It sends the address it listens on to
// ready, if not nil, and reads the time from now.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready chan<- string, now func() time.Time) int {
	logger := log.New(stderr, "live: ", log.LstdFlags)
	c, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		logger.Print(err)
		return 2
	}
	handler, tracker, err := newServer(c, logger)
	if err != nil {
		logger.Print(err)
		return 1
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		logger.Print(err)
		return 1
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          logger,
	}
	go advance(ctx, tracker, now)
	go logNotices(ctx, tracker, logger)
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown) //nolint:errcheck // Serve reports how it ended
	}()
	logger.Printf("listening on http://%s", ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		logger.Print(err)
		return 1
	}
	return 0
}

// advance moves the tracker's time to the clock once a second, so that
// notices fall due and idle conversations are closed out.
func advance(ctx context.Context, t *kpi.Tracker, now func() time.Time) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		t.AdvanceTo(now())
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// logNotices logs the tracker's at-risk and breach notices; a real
// program would post them to the manager's chat.
func logNotices(ctx context.Context, t *kpi.Tracker, logger *log.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-t.Notices():
			logger.Print(n)
		}
	}
}
