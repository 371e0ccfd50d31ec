package rest

import (
	"path/filepath"
	"testing"
)

// FuzzMapResponse feeds arbitrary answers through the decoder and the mappings of
// testdata/backoffice.yaml: whatever the back office sends, the connector answers a value or
// an error, never a panic.
func FuzzMapResponse(f *testing.F) {
	for _, name := range []string{"customer.json", "change_request.json", "change_requests.json", "orders.json", "error_validation.json"} {
		f.Add(testdata(f, name))
	}
	f.Add([]byte(`{"data": {"customerNumber": {"x": [1, null]}, "changes": [], "createdAt": 5}}`))
	f.Add([]byte(`[1e400]`))
	cfg, err := LoadConfig(filepath.Join("testdata", "backoffice.yaml"), func(k string) (string, bool) { return "x", k == "BACKOFFICE_TOKEN" })
	if err != nil {
		f.Fatal(err)
	}
	eps, err := compile(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := decode(body)
		if err != nil {
			return
		}
		for name, e := range eps.operations {
			root, ok := e.root.get(v)
			if !ok {
				continue
			}
			if name == OpGetCustomer {
				e.customer(root)
				continue
			}
			e.changeRequest(root)
			if items, ok := e.items.get(root); ok {
				if list, ok := items.([]any); ok {
					for _, it := range list {
						e.changeRequest(it)
					}
				}
			}
		}
		plain(v)
	})
}
