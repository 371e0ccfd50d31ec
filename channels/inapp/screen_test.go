package inapp

import (
	"path/filepath"
	"testing"
)

// Every input type of the subset, with a policy's screen overrides, and a free-text question.
func TestFormInputsAndOverrides(t *testing.T) {
	h := newHarness(t, harnessOptions{policies: filepath.Join("testdata")})
	id, s := h.start(`{"intent":"travel_notice"}`)
	if s["kind"] != KindForm || s["title"] != "Travel notice" {
		t.Fatalf("screen %v", s)
	}
	inputs, actions := card(t, s)
	for name, typ := range map[string]string{"country": TypeChoiceSet, "from": TypeDate, "days": TypeNumber, "email": TypeText, "sms": TypeToggle} {
		if inputs[name]["type"] != typ {
			t.Errorf("input %s is %v, want %s", name, inputs[name]["type"], typ)
		}
	}
	if inputs["email"]["style"] != "Email" || inputs["email"]["placeholder"] != "you@example.com" || len(inputs["country"]["choices"].([]any)) != 3 {
		t.Errorf("refinements missing: %v", inputs)
	}
	if len(actions) != 1 || actions[0]["title"] != "Save" {
		t.Errorf("actions %v", actions)
	}

	r := h.input(id, `{"country":"Japan","from":"next week","days":"many","email":"nope","sms":true}`)
	want(t, r, 400, "dates")
	for _, name := range []string{"from", "days", "email"} {
		if r.fieldError(name) == "" {
			t.Errorf("no error for %s: %v", name, r.body)
		}
	}
	if r.fieldError("country") != "" || r.fieldError("sms") != "" {
		t.Errorf("valid inputs rejected: %v", r.body)
	}
	// Native clients send numbers and booleans; Adaptive Cards renderers send strings.
	r = h.input(id, `{"country":"Japan","from":"2026-12-01","days":14,"sms":true}`)
	want(t, r, 200, "note")
	if r.screen()["kind"] != KindText {
		t.Fatalf("free-text screen %v", r.screen())
	}
	if inputs, _ := card(t, r.screen()); inputs["text"]["type"] != TypeText || inputs["text"]["isMultiline"] != true {
		t.Fatalf("text input %v", inputs)
	}
	r = h.input(id, `{}`)
	want(t, r, 400, "note")
	if r.fieldError("text") == "" {
		t.Fatalf("empty text: %v", r.body)
	}
	r = h.input(id, `{"text":"Back on the 15th."}`)
	want(t, r, 200, ScreenEnd)
	if s := r.screen(); s["kind"] != KindEnd || s["end"].(map[string]any)["resolution"] != "travel_noted" {
		t.Fatalf("end screen %v", s)
	}
}
