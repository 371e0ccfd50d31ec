package inapp

// overrides are what a policy's `screen:` block of an ask node may refine on the in-app
// screen, so that the channel-agnostic question needs no per-channel authoring and can still
// be tuned:
//
//	screen:
//	  title: "Your new address"       # heading above the question text
//	  submit: "Send"                   # label of the submit button
//	  fields:
//	    postcode: { placeholder: "10119" }
//	    newsletter: { input: Input.Toggle }
//	    country: { input: Input.ChoiceSet, choices: [DE, AT, CH] }
//
// Keys the channel does not know are ignored: other clients may read them from the screen's
// raw override, and a policy must not fail for a presentation detail.
type overrides struct {
	Title  string
	Submit string
	Fields map[string]fieldOverride
}

type fieldOverride struct {
	Placeholder string
	// Input replaces the field's input type: Input.Toggle or Input.ChoiceSet.
	Input   string
	Choices []string
}

func overridesOf(screen map[string]any) overrides {
	o := overrides{Title: stringOf(screen["title"]), Submit: stringOf(screen["submit"])}
	fields, _ := screen["fields"].(map[string]any)
	for name, v := range fields {
		m, _ := v.(map[string]any)
		if m == nil {
			continue
		}
		f := fieldOverride{Placeholder: stringOf(m["placeholder"]), Input: stringOf(m["input"])}
		list, _ := m["choices"].([]any)
		for _, ch := range list {
			if s := stringOf(ch); s != "" {
				f.Choices = append(f.Choices, s)
			}
		}
		if o.Fields == nil {
			o.Fields = map[string]fieldOverride{}
		}
		o.Fields[name] = f
	}
	return o
}

func stringOf(v any) string {
	s, _ := v.(string)
	return s
}
