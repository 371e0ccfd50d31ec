// Command studio sends simulated customer traffic through frontdesk's /v1/messages API, so that
// a policy's Shadow version gets runs (and node hits) to pass the promotion gate in the Policy
// Studio. Each conversation starts the intent's policy for a random customer of the local
// stack (or an unknown one), then answers each question at random, as customers do, until the
// policy ends, hands off, or asks for a one-time code that a script cannot read.
//
//	go run ./examples/studio -url http://127.0.0.1:8080 -intent change_address -n 50
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"
)

// customers are the local stack's seeded customers, plus ids no back office knows.
var customers = []string{"C-1001", "C-1002", "C-1003", "C-9001", "C-9002"}

// formValues answer form fields by name; other fields get "example".
var formValues = map[string][]string{
	"street":   {"Torstrasse 1", "Main Street 12", "Rue de Rivoli 99"},
	"city":     {"Berlin", "London", "Paris"},
	"postcode": {"10119", "SW1A 1AA", "75001"},
}

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "frontdesk's address")
	intent := flag.String("intent", "change_address", "the intent every conversation starts with")
	n := flag.Int("n", 50, "how many conversations to simulate")
	token := flag.String("token", os.Getenv("FRONTDESK_API_TOKEN"), "the /v1/messages API token, if one is required ($FRONTDESK_API_TOKEN)")
	seed := flag.Uint64("seed", uint64(time.Now().UnixNano()), "random seed, to repeat a run")
	flag.Parse()
	s := &simulator{base: strings.TrimRight(*url, "/"), token: *token, rng: rand.New(rand.NewPCG(*seed, 1)),
		http: &http.Client{Timeout: 30 * time.Second}}
	outcomes := map[string]int{}
	for i := range *n {
		outcome, err := s.conversation(fmt.Sprintf("studio-sim-%d-%d", *seed, i), *intent)
		if err != nil {
			fmt.Fprintln(os.Stderr, "studio:", err)
			os.Exit(1)
		}
		outcomes[outcome]++
		fmt.Fprintf(os.Stderr, "\r%d/%d conversations", i+1, *n)
	}
	fmt.Fprintln(os.Stderr)
	for o, c := range outcomes {
		fmt.Printf("%-28s %d\n", o, c)
	}
}

type simulator struct {
	base  string
	token string
	rng   *rand.Rand
	http  *http.Client
}

// reply is what the simulator reads of a reply.
type reply struct {
	Node    string `json:"node"`
	Choices []struct {
		Value string `json:"value"`
	} `json:"choices"`
	Form []struct {
		Name string `json:"name"`
	} `json:"form"`
	End *struct {
		Resolution string `json:"resolution"`
	} `json:"end"`
	Handoff *struct {
		Team string `json:"team"`
	} `json:"handoff"`
}

// conversation plays one customer and returns how the conversation ended for the script.
func (s *simulator) conversation(id, intent string) (string, error) {
	msg := map[string]any{"conversation_id": id, "channel": "api", "intent": intent,
		"contact": map[string]any{"customer_id": customers[s.rng.IntN(len(customers))]}}
	for turn := 0; turn < 20; turn++ {
		replies, err := s.send(msg)
		if err != nil {
			return "", err
		}
		if len(replies) == 0 {
			return "no reply", nil
		}
		last := replies[len(replies)-1]
		for _, r := range replies {
			if r.Handoff != nil {
				return "handed off to " + r.Handoff.Team, nil
			}
		}
		switch {
		case last.End != nil:
			return "ended: " + last.End.Resolution, nil
		case len(last.Choices) > 0:
			msg = map[string]any{"conversation_id": id, "channel": "api", "input": map[string]any{"choice": last.Choices[s.rng.IntN(len(last.Choices))].Value}}
		case len(last.Form) == 1 && last.Form[0].Name == "code":
			return "waiting for a one-time code", nil
		case len(last.Form) > 0:
			input := map[string]any{}
			for _, f := range last.Form {
				values := formValues[f.Name]
				if len(values) == 0 {
					values = []string{"example"}
				}
				input[f.Name] = values[s.rng.IntN(len(values))]
			}
			msg = map[string]any{"conversation_id": id, "channel": "api", "input": input}
		default:
			msg = map[string]any{"conversation_id": id, "channel": "api", "text": "yes"}
		}
	}
	return "still talking after 20 turns", nil
}

func (s *simulator) send(msg map[string]any) ([]reply, error) {
	body, _ := json.Marshal(msg)
	req, err := http.NewRequest("POST", s.base+"/v1/messages", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("frontdesk at %s: %w", s.base, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("POST /v1/messages: %d %s", resp.StatusCode, data)
	}
	var out struct {
		Replies []reply `json:"replies"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("POST /v1/messages: %w in %s", err, data)
	}
	return out.Replies, nil
}
