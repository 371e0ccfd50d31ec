package salesforce

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// maxQueryPages bounds how many pages of one SOQL result are read (2,000 records per page by
// default), so that a runaway query cannot keep a call busy.
const maxQueryPages = 5

// queryResult is one page of a SOQL query's answer.
type queryResult struct {
	TotalSize      int               `json:"totalSize"`
	Done           bool              `json:"done"`
	NextRecordsURL string            `json:"nextRecordsUrl"`
	Records        []json.RawMessage `json:"records"`
}

// query runs a SOQL query and returns its records, following nextRecordsUrl.
func (c *Client) query(ctx context.Context, op, soql string) ([]json.RawMessage, error) {
	var page queryResult
	if err := c.do(ctx, op, http.MethodGet, "/query", url.Values{"q": {soql}}, nil, &page); err != nil {
		return nil, err
	}
	records := page.Records
	for n := 1; !page.Done && page.NextRecordsURL != "" && n < maxQueryPages; n++ {
		// nextRecordsUrl is absolute from the host: /services/data/vXX.X/query/01g...-2000
		path := strings.TrimPrefix(page.NextRecordsURL, "/services/data/"+c.cfg.APIVersion)
		page = queryResult{}
		if err := c.do(ctx, op, http.MethodGet, path, nil, nil, &page); err != nil {
			return nil, err
		}
		records = append(records, page.Records...)
	}
	return records, nil
}

// quote writes s as a SOQL string literal, escaping what SOQL requires so that a name from a
// policy cannot change the query.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`, "\t", `\t`, `"`, `\"`)
	return "'" + r.Replace(s) + "'"
}
