package webchat

import "github.com/prometheus/client_golang/prometheus"

// metrics are the chat's own counters; the router counts its messages by channel already.
// Without a registerer they count for nobody.
type metrics struct {
	connections prometheus.Gauge
	frames      *prometheus.CounterVec
	errors      *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "frontdesk", Subsystem: "webchat", Name: "connections", Help: "Open chat WebSocket connections.",
		}),
		frames: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "webchat", Name: "frames_total", Help: "Valid client frames, by type.",
		}, []string{"type"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "webchat", Name: "errors_total", Help: "Error frames sent, by code.",
		}, []string{"code"}),
	}
	if reg != nil {
		reg.MustRegister(m.connections, m.frames, m.errors)
	}
	return m
}
