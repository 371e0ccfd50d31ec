package notemark

import "testing"

func TestAppendHas(t *testing.T) {
	body := Append("intent change_address (0.93)", "run-1/node-4")
	if !Has(body, "run-1/node-4") {
		t.Fatalf("Has(%q) = false", body)
	}
	for _, other := range []string{"run-1/node", "run-1/node-44", ""} {
		if Has(body, other) {
			t.Errorf("Has(body, %q) = true", other)
		}
	}
	if Append("x", "") != "x" {
		t.Error("Append with no key changed the body")
	}
	if !Has("a\r\nfrontdesk-key: k\r\n", "k") {
		t.Error("Has missed a marker with CRLF line ends")
	}
}
