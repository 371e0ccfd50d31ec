package email

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts what the channel does: mails by mailbox and decision (or error), and reply
// deliveries by result. A nil *Metrics counts nothing.
type Metrics struct {
	mails   *prometheus.CounterVec
	replies *prometheus.CounterVec
}

// NewMetrics registers the email channel's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		mails: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "email", Name: "mails_total",
			Help: "Mails handled, by mailbox and outcome (linked, routed, threaded, empty, error).",
		}, []string{"mailbox", "outcome"}),
		replies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "email", Name: "replies_total",
			Help: "Reply deliveries, by result (sent, duplicate, failed).",
		}, []string{"result"}),
	}
	reg.MustRegister(m.mails, m.replies)
	return m
}

func (m *Metrics) mail(mailbox, outcome string) {
	if m != nil {
		m.mails.WithLabelValues(mailbox, outcome).Inc()
	}
}

func (m *Metrics) reply(result string) {
	if m != nil {
		m.replies.WithLabelValues(result).Inc()
	}
}
