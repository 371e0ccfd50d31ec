package zendesk

import "testing"

// BenchmarkDecodeTicket measures reading a ticket as show, create and update answer it.
func BenchmarkDecodeTicket(b *testing.B) {
	body, c := testdata(b, "ticket.json"), goldenClient(b)
	b.ReportAllocs()
	for b.Loop() {
		t, err := decodeTicket(body)
		if err != nil {
			b.Fatal(err)
		}
		c.toCase(t)
	}
}
