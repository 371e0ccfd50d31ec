package router

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Metrics counts messages by channel and result and times them.
type Metrics struct {
	messages *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the router's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Name: "messages_total", Help: "Messages handled, by channel and result.",
		}, []string{"channel", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "frontdesk", Name: "message_duration_seconds", Help: "Time to handle a message, by channel.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2.5, 12),
		}, []string{"channel"}),
	}
	reg.MustRegister(m.messages, m.duration)
	return m
}

// Middleware records each message.
func (m *Metrics) Middleware() Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, msg message.Message) ([]message.Reply, error) {
			start := time.Now()
			replies, err := next(ctx, msg)
			result := "ok"
			if err != nil {
				result = "error"
			}
			m.messages.WithLabelValues(msg.Channel, result).Inc()
			m.duration.WithLabelValues(msg.Channel).Observe(time.Since(start).Seconds())
			return replies, err
		}
	}
}
