package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"
)

// SQLiteOptions tune a SQLite queue. Zero fields take the defaults below.
type SQLiteOptions struct {
	Options
	// ClaimIdle is how long a delivered message may stay unacknowledged before it is
	// delivered again: how long the work of a consumer whose process died waits. Live
	// consumers extend the messages they handle every ClaimIdle/3, so slow handlers keep
	// theirs. Default 30s.
	ClaimIdle time.Duration
	// Poll is how often idle consumers look for messages that nothing in this process
	// announced: published by another process on the same file, or left by one that died.
	// Default 1s.
	Poll time.Duration
	// Logger receives the database errors consumers retry after; default slog.Default().
	Logger *slog.Logger
}

// withDefaults returns the options with every zero field set.
func (o SQLiteOptions) withDefaults() SQLiteOptions {
	o.Options = o.Options.WithDefaults()
	if o.ClaimIdle <= 0 {
		o.ClaimIdle = 30 * time.Second
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// sqliteSchema is the queue's one table. A message is due when its due time (Unix
// milliseconds) has come: at once when published, after the backoff when nacked, and
// ClaimIdle after a delivery whose consumer never settled it.
const sqliteSchema = `
CREATE TABLE IF NOT EXISTS queue_messages (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	topic    TEXT    NOT NULL,
	payload  BLOB    NOT NULL,
	delivery INTEGER NOT NULL DEFAULT 0,
	due      INTEGER NOT NULL,
	metadata TEXT
);
CREATE INDEX IF NOT EXISTS queue_messages_topic_due ON queue_messages (topic, due);
`

// SQLite is a durable Queue in a SQLite database: the embedded default for work that must
// outlive the process, such as the email channel's replies. A message is written before
// Publish returns and deleted when acknowledged, so a process killed at any point loses
// nothing: on restart its unacknowledged messages are delivered again, those it was handling
// once ClaimIdle has passed. Several processes may share the file; they compete for messages
// as the consumers of one process do; Close leaves unacknowledged messages in the database
// for the next process. It needs a database opened in WAL mode with a busy timeout, such as
// the embedded store's (store.OpenSQLite).
type SQLite struct {
	lifecycle // its mu guards wakes too
	db        *sql.DB
	opts      SQLiteOptions
	wakes     map[string]chan struct{} // per topic, signalled when a message becomes due here
}

// NewSQLite returns a queue on db, creating its table when missing. Close does not close db.
func NewSQLite(ctx context.Context, db *sql.DB, opts SQLiteOptions) (*SQLite, error) {
	if _, err := db.ExecContext(ctx, sqliteSchema); err != nil {
		return nil, fmt.Errorf("queue (sqlite): create table: %w", err)
	}
	q := &SQLite{db: db, opts: opts.withDefaults(), wakes: make(map[string]chan struct{})}
	q.init()
	return q, nil
}

// wake returns the topic's wake channel; the caller holds q.mu.
func (q *SQLite) wake(topic string) chan struct{} {
	w := q.wakes[topic]
	if w == nil {
		w = make(chan struct{}, 1)
		q.wakes[topic] = w
	}
	return w
}

// signal tells one idle consumer of the topic to look.
func (q *SQLite) signal(topic string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.signalLocked(topic)
}

// signalLocked is signal for a caller holding q.mu.
func (q *SQLite) signalLocked(topic string) {
	select {
	case q.wake(topic) <- struct{}{}:
	default:
	}
}

func nowMillis() int64 { return time.Now().UnixMilli() }

// Publish writes payload to the topic; it is durable when Publish returns.
func (q *SQLite) Publish(ctx context.Context, topic string, payload []byte) (string, error) {
	if err := checkCall(ctx, topic, q.isClosed()); err != nil {
		return "", err
	}
	id, err := q.insert(ctx, topic, payload, "")
	if err != nil {
		return "", err
	}
	q.signal(topic)
	return id, nil
}

// insert adds a message unless the topic is full, in one statement so that concurrent
// publishers cannot overfill it.
func (q *SQLite) insert(ctx context.Context, topic string, payload []byte, metadata string) (string, error) {
	meta := sql.NullString{String: metadata, Valid: metadata != ""}
	res, err := q.db.ExecContext(ctx, `INSERT INTO queue_messages (topic, payload, due, metadata)
		SELECT ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM queue_messages WHERE topic = ?) < ?`,
		topic, payload, nowMillis(), meta, topic, q.opts.MaxLen)
	if err != nil {
		return "", fmt.Errorf("queue (sqlite): publish: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", ErrFull
	}
	id, err := res.LastInsertId()
	if err != nil {
		return "", fmt.Errorf("queue (sqlite): publish: %w", err)
	}
	return strconv.FormatInt(id, 10), nil
}

// Subscribe starts consumers of the topic.
func (q *SQLite) Subscribe(ctx context.Context, topic string, h Handler) error {
	return q.subscribe(topic, q.opts.Concurrency, func() func() {
		wake := q.wake(topic)
		return func() { q.consume(ctx, topic, wake, h) }
	})
}

// sqliteMessage is a message taken for delivery.
type sqliteMessage struct {
	id       int64
	payload  []byte
	delivery int
	metadata map[string]string
}

func (q *SQLite) consume(ctx context.Context, topic string, wake chan struct{}, h Handler) {
	poll := time.NewTimer(q.opts.Poll)
	defer poll.Stop()
	for ctx.Err() == nil && !q.isClosed() {
		m, err := q.take(ctx, topic)
		if err != nil && ctx.Err() == nil {
			q.opts.Logger.Warn("queue (sqlite): taking a message failed; retrying", "topic", topic, "err", err)
		}
		if m == nil {
			poll.Reset(q.opts.Poll)
			select {
			case <-wake:
			case <-poll.C:
			case <-ctx.Done():
			case <-q.stop:
			}
			continue
		}
		// More may be due: pass the signal on, so one Publish never wakes every consumer
		// but a backlog keeps them all busy.
		q.signal(topic)
		keep := q.keep(m)
		err = Run(ctx, h, Message{
			ID: strconv.FormatInt(m.id, 10), Topic: topic, Payload: m.payload,
			Delivery: m.delivery, Metadata: m.metadata,
		})
		keep.Stop()
		q.settle(topic, m, err)
	}
}

// take claims the oldest due message of the topic for ClaimIdle, or returns nil. It looks
// with a read first: an UPDATE takes the database's write lock even when it changes nothing,
// and idle consumers look often.
func (q *SQLite) take(ctx context.Context, topic string) (*sqliteMessage, error) {
	now := nowMillis()
	var one int
	err := q.db.QueryRowContext(ctx, `SELECT 1 FROM queue_messages WHERE topic = ? AND due <= ? LIMIT 1`, topic, now).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	row := q.db.QueryRowContext(ctx, `UPDATE queue_messages SET delivery = delivery + 1, due = ?
		WHERE id = (SELECT id FROM queue_messages WHERE topic = ? AND due <= ? ORDER BY id LIMIT 1)
		RETURNING id, payload, delivery, metadata`,
		now+q.opts.ClaimIdle.Milliseconds(), topic, now)
	var m sqliteMessage
	var meta sql.NullString
	if err := row.Scan(&m.id, &m.payload, &m.delivery, &meta); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, err
	}
	if meta.Valid {
		if err := json.Unmarshal([]byte(meta.String), &m.metadata); err != nil {
			return nil, fmt.Errorf("message %d: metadata: %w", m.id, err)
		}
	}
	return &m, nil
}

// claim keeps a message claimed while its handler runs.
type claim struct {
	timer   *time.Timer
	stopped atomic.Bool
}

// Stop ends the claim's extensions; one already running may extend it once more.
func (c *claim) Stop() {
	c.stopped.Store(true)
	c.timer.Stop()
}

// keep extends the claim on m every ClaimIdle/3 until stopped.
func (q *SQLite) keep(m *sqliteMessage) *claim {
	every := q.opts.ClaimIdle / 3
	c := &claim{}
	c.timer = time.AfterFunc(every, func() {
		_, err := q.db.Exec(`UPDATE queue_messages SET due = ? WHERE id = ? AND delivery = ?`,
			nowMillis()+q.opts.ClaimIdle.Milliseconds(), m.id, m.delivery)
		if err != nil {
			q.opts.Logger.Warn("queue (sqlite): extending a claim failed", "id", m.id, "err", err)
		}
		if !c.stopped.Load() {
			c.timer.Reset(every)
		}
	})
	return c
}

// settle acts on a handler's result: ack, redelivery after backoff, or dead letter. A
// failure to write it leaves the claim to expire, and the message is delivered again.
func (q *SQLite) settle(topic string, m *sqliteMessage, herr error) {
	ctx := context.Background()
	var err error
	switch {
	case herr == nil:
		_, err = q.db.ExecContext(ctx, `DELETE FROM queue_messages WHERE id = ? AND delivery = ?`, m.id, m.delivery)
	case m.delivery >= q.opts.MaxDeliveries:
		err = q.deadLetter(ctx, topic, m, herr)
	default:
		backoff := q.opts.Backoff(m.delivery)
		_, err = q.db.ExecContext(ctx, `UPDATE queue_messages SET due = ? WHERE id = ? AND delivery = ?`,
			nowMillis()+backoff.Milliseconds(), m.id, m.delivery)
		if err == nil {
			q.after(backoff, topic)
		}
	}
	if err != nil {
		q.opts.Logger.Warn("queue (sqlite): settling a message failed; it will be delivered again",
			"topic", topic, "id", m.id, "err", err)
	}
}

// deadLetter moves m to the topic's dead-letter topic in one transaction.
func (q *SQLite) deadLetter(ctx context.Context, topic string, m *sqliteMessage, cause error) error {
	meta, err := json.Marshal(map[string]string{
		DeadLetterID:         strconv.FormatInt(m.id, 10),
		DeadLetterTopic:      topic,
		DeadLetterDeliveries: strconv.Itoa(m.delivery),
		DeadLetterError:      cause.Error(),
	})
	if err != nil {
		return err
	}
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM queue_messages WHERE id = ? AND delivery = ?`, m.id, m.delivery)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // another consumer took it over after the claim ran out
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO queue_messages (topic, payload, due, metadata) VALUES (?, ?, ?, ?)`,
		DeadTopic(topic), m.payload, nowMillis(), string(meta)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	q.signal(DeadTopic(topic))
	return nil
}

// after signals the topic's consumers once d has passed, when a nacked message is due again.
func (q *SQLite) after(d time.Duration, topic string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.afterFunc(d, func() { q.signalLocked(topic) })
	}
}

// Stats counts the topic's messages: never delivered (backlog), delivered and not
// acknowledged (pending), and on its dead-letter topic.
func (q *SQLite) Stats(ctx context.Context, topic string) (Stats, error) {
	if err := checkCall(ctx, topic, q.isClosed()); err != nil {
		return Stats{}, err
	}
	var s Stats
	err := q.db.QueryRowContext(ctx, `SELECT
		COUNT(CASE WHEN topic = ? AND delivery = 0 THEN 1 END),
		COUNT(CASE WHEN topic = ? AND delivery > 0 THEN 1 END),
		COUNT(CASE WHEN topic = ? THEN 1 END)
		FROM queue_messages WHERE topic IN (?, ?)`,
		topic, topic, DeadTopic(topic), topic, DeadTopic(topic)).Scan(&s.Backlog, &s.Pending, &s.Dead)
	if err != nil {
		return Stats{}, fmt.Errorf("queue (sqlite): stats: %w", err)
	}
	return s, nil
}

// Redrive moves up to limit dead letters of the topic, oldest first, back onto the topic
// (delivery counts start again) in one statement, and returns how many it moved. Run it once
// the cause of the failures is fixed.
func (q *SQLite) Redrive(ctx context.Context, topic string, limit int) (int, error) {
	if err := checkRedrive(ctx, topic, limit, q.isClosed()); err != nil {
		return 0, err
	}
	res, err := q.db.ExecContext(ctx, `UPDATE queue_messages SET topic = ?, delivery = 0, due = ?, metadata = NULL
		WHERE id IN (SELECT id FROM queue_messages WHERE topic = ? ORDER BY id LIMIT ?)`,
		topic, nowMillis(), DeadTopic(topic), limit)
	if err != nil {
		return 0, fmt.Errorf("queue (sqlite): redrive %s: %w", topic, err)
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		q.signal(topic)
	}
	return int(n), nil
}

var _ Queue = (*SQLite)(nil)
