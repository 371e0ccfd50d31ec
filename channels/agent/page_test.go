package agent

import (
	"context"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/connectors/local"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/internal/browsertest"
)

// TestAgentPageInBrowser drives /agent in headless chromium; screenshots go to
// build/artifacts/TestAgentPageInBrowser.
func TestAgentPageInBrowser(t *testing.T) {
	browsertest.Require(t)
	s := newStack(t)
	ctx := context.Background()
	if _, err := s.router.Handle(ctx, message.Message{Channel: "webchat", ConversationID: "chat-b",
		Contact: message.Contact{CustomerID: "C-1001"}, Intent: "change_address"}); err != nil {
		t.Fatal(err)
	}
	conv, err := s.router.Conversation(ctx, "chat-b")
	if err != nil {
		t.Fatal(err)
	}
	st, err := local.Open(s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	customer, err := st.GetCustomer(ctx, "C-1001")
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Run(t, "testdata/agent_page.mjs", map[string]string{
		"BASE_URL": s.base, "TOKEN": adminToken, "CASE_ID": conv.CaseID, "PHONE": customer.Phone,
	})
	notes, err := st.Notes(ctx, conv.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	var agentTurns int
	for _, n := range notes {
		if strings.Contains(n.Body, "agent-guided by Alan Turing") {
			agentTurns++
		}
	}
	if agentTurns != 2 {
		t.Fatalf("%d agent-guided turns in the decision log, want 2: %+v", agentTurns, notes)
	}
}
