package queue

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// statsTimeout bounds the Stats calls of one scrape, so a slow Redis cannot hang /metrics.
const statsTimeout = 2 * time.Second

// Collector exports the Stats of topics as Prometheus gauges, read from the queue at scrape
// time: frontdesk_queue_backlog (the consumers' lag), frontdesk_queue_pending and
// frontdesk_queue_dead, each labelled with the topic.
type Collector struct {
	q                      Queue
	topics                 []string
	backlog, pending, dead *prometheus.Desc
}

// NewCollector returns a collector of the given topics of q; register it with a
// prometheus.Registerer.
func NewCollector(q Queue, topics ...string) *Collector {
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("frontdesk_queue_"+name, help, []string{"topic"}, nil)
	}
	return &Collector{
		q: q, topics: topics,
		backlog: desc("backlog", "Messages published and not yet delivered."),
		pending: desc("pending", "Messages delivered and not yet acknowledged."),
		dead:    desc("dead", "Messages in the topic's dead-letter topic."),
	}
}

// Describe sends the gauges' descriptions.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.backlog
	ch <- c.pending
	ch <- c.dead
}

// Collect reads each topic's Stats; a topic whose Stats fail is reported as an invalid
// metric, which fails the scrape visibly instead of showing stale numbers.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
	defer cancel()
	for _, topic := range c.topics {
		s, err := c.q.Stats(ctx, topic)
		if err != nil {
			ch <- prometheus.NewInvalidMetric(c.backlog, err)
			continue
		}
		ch <- prometheus.MustNewConstMetric(c.backlog, prometheus.GaugeValue, float64(s.Backlog), topic)
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(s.Pending), topic)
		ch <- prometheus.MustNewConstMetric(c.dead, prometheus.GaugeValue, float64(s.Dead), topic)
	}
}

var _ prometheus.Collector = (*Collector)(nil)
