package salesforce

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// timeLayout is how the REST API writes datetime fields.
const timeLayout = "2006-01-02T15:04:05.000-0700"

// Id prefixes of the owner kinds a Case can have.
const (
	prefixQueue = "00G"
	prefixUser  = "005"
)

// decodeCase reads a Case record as GET /sobjects/Case/<id> answers it. Field names other than
// the standard ones come from the configuration, so the record is read as a map.
func decodeCase(body []byte, cfg Config, instanceURL string) (plugin.Case, error) {
	var rec map[string]any
	if err := json.Unmarshal(body, &rec); err != nil {
		return plugin.Case{}, fmt.Errorf("malformed Case record: %w", err)
	}
	id := str(rec, "Id")
	if id == "" {
		return plugin.Case{}, fmt.Errorf("malformed Case record: no Id")
	}
	c := plugin.Case{
		ID:         id,
		ExternalID: str(rec, cfg.ExternalIDField),
		Subject:    str(rec, "Subject"),
		Status:     str(rec, "Status"),
		Intent:     str(rec, cfg.IntentField),
		Category:   str(rec, cfg.CategoryField),
		CustomerID: str(rec, cfg.CustomerField),
		URL:        instanceURL + "/lightning/r/Case/" + id + "/view",
		Created:    when(rec, "CreatedDate"),
		Updated:    when(rec, "LastModifiedDate"),
	}
	if cfg.ConfidenceField != "" {
		switch v := rec[cfg.ConfidenceField].(type) {
		case float64:
			c.Confidence = v
		case string:
			c.Confidence, _ = strconv.ParseFloat(v, 64)
		}
	}
	switch owner := str(rec, "OwnerId"); {
	case strings.HasPrefix(owner, prefixQueue):
		c.Queue = owner
	case strings.HasPrefix(owner, prefixUser):
		c.Agent = owner
	}
	return c, nil
}

// str reads a field as a string; numbers and booleans (a formula or number field used for an
// id) are written out, null and absent fields are "".
func str(rec map[string]any, field string) string {
	if field == "" {
		return ""
	}
	switch v := rec[field].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

func when(rec map[string]any, field string) time.Time {
	t, err := time.Parse(timeLayout, str(rec, field))
	if err != nil {
		return time.Time{}
	}
	return t
}
