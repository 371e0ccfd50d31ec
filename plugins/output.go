package plugins

import (
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Plugin answers reach policies as JSON-shaped values with snake_case keys, so that a policy
// writes customer.phone or customer.address.postcode. Times are RFC 3339 strings, absent when
// the plugin gave none.

func putTime(m map[string]any, key string, t time.Time) {
	if !t.IsZero() {
		m[key] = t.UTC().Format(time.RFC3339Nano)
	}
}

func stringsMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func caseValue(c plugin.Case) map[string]any {
	m := map[string]any{
		"id": c.ID, "external_id": c.ExternalID, "subject": c.Subject, "status": c.Status,
		"intent": c.Intent, "confidence": c.Confidence, "category": c.Category,
		"queue": c.Queue, "agent": c.Agent, "customer_id": c.CustomerID, "url": c.URL,
	}
	putTime(m, "created", c.Created)
	putTime(m, "updated", c.Updated)
	return m
}

func customerValue(c plugin.Customer) map[string]any {
	return map[string]any{
		"id": c.ID, "name": c.Name, "email": c.Email, "phone": c.Phone,
		"address": map[string]any{
			"street": c.Address.Street, "city": c.Address.City,
			"postcode": c.Address.Postcode, "country": c.Address.Country,
		},
		"attributes": stringsMap(c.Attributes),
	}
}

func changeValue(r plugin.ChangeRequest) map[string]any {
	m := map[string]any{
		"id": r.ID, "customer_id": r.CustomerID, "kind": r.Kind, "fields": stringsMap(r.Fields),
		"status": r.Status, "case_id": r.CaseID,
	}
	putTime(m, "created", r.Created)
	return m
}

func changeList(list []plugin.ChangeRequest) []any {
	out := make([]any, len(list))
	for i, r := range list {
		out[i] = changeValue(r)
	}
	return out
}

func receiptValue(r plugin.SMSReceipt) map[string]any {
	return map[string]any{"id": r.ID, "status": r.Status}
}
