// Command inapp is an example client of frontdesk's in-app API: it starts a flow, shows each
// server-driven screen in the terminal, reads the answers from stdin and posts them, the way a
// mobile app would render the same screens with native widgets. Type "back" at any prompt to
// go back to the previous screen.
//
//	go run ./examples/inapp -url http://127.0.0.1:8080 -intent change_address -customer C-1001
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "frontdesk's address")
	intent := flag.String("intent", "", "start the flow of this intent (an app's menu entry)")
	text := flag.String("text", "", "start a flow from the customer's words instead")
	customer := flag.String("customer", "", "the customer's id in the back office")
	token := flag.String("token", os.Getenv("FRONTDESK_INAPP_TOKEN"), "API token or portal JWT ($FRONTDESK_INAPP_TOKEN)")
	flag.Parse()
	c := &client{base: strings.TrimRight(*url, "/"), token: *token, http: &http.Client{Timeout: 30 * time.Second}}
	start := map[string]any{}
	switch {
	case *intent != "":
		start["intent"] = *intent
	case *text != "":
		start["text"] = *text
	default:
		fmt.Fprintln(os.Stderr, "inapp: give -intent or -text")
		os.Exit(2)
	}
	if *customer != "" {
		start["contact"] = map[string]any{"customer_id": *customer}
	}
	if err := walk(c, start, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "inapp:", err)
		os.Exit(1)
	}
}

// client calls the in-app API.
type client struct {
	base, token string
	http        *http.Client
}

// answer is what the API answers: a screen, or an error that may carry the screen again.
type answer struct {
	FlowID      string            `json:"flow_id"`
	Screen      *screen           `json:"screen"`
	Error       *apiError         `json:"error"`
	FieldErrors map[string]string `json:"field_errors"`
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// screen holds the parts of a screen this client shows (see channels/inapp/screen.schema.json).
type screen struct {
	ID         string   `json:"id"`
	Kind       string   `json:"kind"`
	Title      string   `json:"title"`
	Messages   []string `json:"messages"`
	Error      string   `json:"error"`
	Card       *card    `json:"card"`
	Navigation struct {
		Submit string `json:"submit"`
		Back   string `json:"back"`
	} `json:"navigation"`
}

type card struct {
	Body    []element `json:"body"`
	Actions []struct {
		Title string         `json:"title"`
		Data  map[string]any `json:"data"`
	} `json:"actions"`
}

type element struct {
	Type         string `json:"type"`
	ID           string `json:"id"`
	Label        string `json:"label"`
	Placeholder  string `json:"placeholder"`
	IsRequired   bool   `json:"isRequired"`
	ErrorMessage string `json:"errorMessage"`
	Choices      []struct {
		Title string `json:"title"`
		Value string `json:"value"`
	} `json:"choices"`
}

func (c *client) post(path string, body any) (answer, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return answer{}, err
	}
	req, err := http.NewRequest("POST", c.base+path, bytes.NewReader(data))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return answer{}, fmt.Errorf("%s answered %d without a JSON body: %w", path, resp.StatusCode, err)
	}
	if a.Error != nil && a.Screen == nil {
		return a, fmt.Errorf("%s: %s (%s)", path, a.Error.Message, a.Error.Code)
	}
	return a, nil
}

// errBack is a customer's wish to go back, typed at a prompt.
var errBack = errors.New("back")

// walk starts a flow and shows its screens until it ends.
func walk(c *client, start map[string]any, in io.Reader, out io.Writer) error {
	a, err := c.post("/v1/inapp/flows", start)
	if err != nil {
		return err
	}
	lines := bufio.NewScanner(in)
	for {
		s := a.Screen
		show(out, s, a)
		if s.Navigation.Submit == "" {
			return nil
		}
		data, err := ask(lines, out, s)
		switch {
		case errors.Is(err, errBack) && s.Navigation.Back != "":
			a, err = c.post(s.Navigation.Back, map[string]any{})
		case errors.Is(err, errBack):
			fmt.Fprintln(out, "(there is no screen to go back to)")
			continue
		case err != nil:
			return err
		default:
			a, err = c.post(s.Navigation.Submit, map[string]any{"screen_id": s.ID, "data": data})
		}
		if err != nil {
			return err
		}
	}
}

func show(out io.Writer, s *screen, a answer) {
	fmt.Fprintln(out)
	for _, m := range s.Messages {
		fmt.Fprintln(out, m)
	}
	if s.Title != "" {
		fmt.Fprintf(out, "== %s ==\n", s.Title)
	}
	if s.Error != "" {
		fmt.Fprintf(out, "! %s\n", s.Error)
	}
	for name, problem := range a.FieldErrors {
		if problem != s.Error {
			fmt.Fprintf(out, "! %s: %s\n", name, problem)
		}
	}
	if s.Card == nil {
		fmt.Fprintf(out, "(%s)\n", s.Kind)
	}
}

// ask reads the screen's inputs: a choice among its actions, or each input of its card.
func ask(lines *bufio.Scanner, out io.Writer, s *screen) (map[string]any, error) {
	if s.Kind == "choice" {
		for i, a := range s.Card.Actions {
			fmt.Fprintf(out, "  %d) %s\n", i+1, a.Title)
		}
		answer, err := prompt(lines, out, "choose a number")
		if err != nil {
			return nil, err
		}
		var n int
		if _, err := fmt.Sscan(answer, &n); err != nil || n < 1 || n > len(s.Card.Actions) {
			return map[string]any{"choice": answer}, nil // the server explains what is wrong
		}
		return s.Card.Actions[n-1].Data, nil
	}
	data := map[string]any{}
	for _, e := range s.Card.Body {
		if e.ID == "" {
			continue
		}
		label := e.Label
		if label == "" {
			label = e.ID
		}
		for _, ch := range e.Choices {
			fmt.Fprintf(out, "  %s) %s\n", ch.Value, ch.Title)
		}
		if e.Placeholder != "" {
			label += " (e.g. " + e.Placeholder + ")"
		}
		if e.ErrorMessage != "" {
			label += " [" + e.ErrorMessage + "]"
		}
		v, err := prompt(lines, out, label)
		if err != nil {
			return nil, err
		}
		data[e.ID] = v
	}
	return data, nil
}

func prompt(lines *bufio.Scanner, out io.Writer, label string) (string, error) {
	fmt.Fprintf(out, "%s> ", label)
	if !lines.Scan() {
		if err := lines.Err(); err != nil {
			return "", err
		}
		return "", io.ErrUnexpectedEOF
	}
	v := strings.TrimSpace(lines.Text())
	if v == "back" {
		return "", errBack
	}
	return v, nil
}
