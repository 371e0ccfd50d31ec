// Package settings loads a connector's configuration from an optional YAML file and then from
// environment variables, which win, so that secrets can stay out of files. Each setting is a
// struct field that names its YAML key, its variable and what it means in tags:
//
//	APIVersion string `yaml:"api_version" env:"SALESFORCE_API_VERSION" doc:"REST API version"`
//
// and Usage prints that list, so a connector's -help documents its own configuration.
package settings

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// Load fills dst, a pointer to a struct holding its defaults, from the YAML file at path
// (skipped when path is empty; unknown keys are an error) and then from the environment
// variables named by the fields' env tags, looked up with lookup (os.LookupEnv in a main).
func Load(path string, lookup func(string) (string, bool), dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("settings: Load needs a pointer to a struct, got %T", dst)
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := yaml.UnmarshalWithOptions(data, dst, yaml.DisallowUnknownField()); err != nil {
			return fmt.Errorf("%s: %s", path, yaml.FormatError(err, false, false))
		}
	}
	return fromEnv(v.Elem(), lookup)
}

func fromEnv(v reflect.Value, lookup func(string) (string, bool)) error {
	t := v.Type()
	for i := range t.NumField() {
		f, fv := t.Field(i), v.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Duration]() {
			if err := fromEnv(fv, lookup); err != nil {
				return err
			}
			continue
		}
		name := f.Tag.Get("env")
		if name == "" {
			continue
		}
		s, ok := lookup(name)
		if !ok {
			continue
		}
		if err := set(fv, s); err != nil {
			return fmt.Errorf("environment variable %s=%q: %w", name, s, err)
		}
	}
	return nil
}

var errKind = errors.New("settings: unsupported field type")

// set parses s into v by v's type.
func set(v reflect.Value, s string) error {
	switch v.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
		return nil
	case []string:
		var parts []string
		for p := range strings.SplitSeq(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		v.Set(reflect.ValueOf(parts))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("want true or false")
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("want a whole number")
		}
		v.SetInt(n)
	case reflect.Float64:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("want a number")
		}
		v.SetFloat(x)
	default:
		return fmt.Errorf("%w %s", errKind, v.Type())
	}
	return nil
}

// Usage writes one line per setting of cfg (a struct or a pointer to one): its variable, its
// YAML key, what it means and its value in cfg, the default when cfg holds the defaults.
// Settings tagged secret:"true" never show their value.
func Usage(w io.Writer, cfg any) {
	v := reflect.Indirect(reflect.ValueOf(cfg))
	usage(w, v, "")
}

func usage(w io.Writer, v reflect.Value, prefix string) {
	t := v.Type()
	for i := range t.NumField() {
		f, fv := t.Field(i), v.Field(i)
		key := prefix + strings.Split(f.Tag.Get("yaml"), ",")[0]
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Duration]() {
			usage(w, fv, key+".")
			continue
		}
		env, doc := f.Tag.Get("env"), f.Tag.Get("doc")
		if env == "" && doc == "" {
			continue
		}
		if env == "" {
			env = "-"
		}
		line := fmt.Sprintf("  %-34s %-24s %s", env, key, doc)
		if !fv.IsZero() && f.Tag.Get("secret") != "true" {
			line += fmt.Sprintf(" (default %v)", fv.Interface())
		}
		fmt.Fprintln(w, line)
	}
}

// LoadChecked starts from defaults, applies the file at path (if any) and the environment
// with Load, and validates the result: the whole of a connector's LoadConfig.
func LoadChecked[C interface{ Validate() error }](path string, lookup func(string) (string, bool), defaults C) (C, error) {
	c := defaults
	if err := Load(path, lookup, &c); err != nil {
		var zero C
		return zero, err
	}
	return c, c.Validate()
}
