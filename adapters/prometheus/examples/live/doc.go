// Live serves the One-Minute KPI of a Telegram bot and a WhatsApp Business
// number to Prometheus: their webhooks feed a kpi.Tracker and a
// promkpi.Observer, and /metrics exposes the tracker's report through the
// promkpi collector and the observer's histogram of first-reply times.
//
//	cd adapters/prometheus
//	ONEMIN_TELEGRAM_SECRET=… ONEMIN_WHATSAPP_APP_SECRET=… go run ./examples/live [-addr 127.0.0.1:8080] [-sla 60s] [-lateness 5s]
//
// Routes:
//
//	POST /webhook/telegram   Telegram updates (setWebhook with secret_token)
//	GET|POST /webhook/whatsapp  WhatsApp Cloud API (handshake and deliveries)
//	GET  /metrics            Prometheus exposition
//
// It listens on 127.0.0.1:8080 by default: put a TLS proxy in front of it
// for the messengers, and let Prometheus scrape it from the same host or a
// private network. The secrets come from the environment, not from flags,
// so that they do not show in the process list. Every second the tracker's
// time moves to the wall clock, sending at-risk and breach notices, which
// are logged.
package main
