package expr

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
)

func standardFuncs() []Func {
	return []Func{
		{Name: "size", Doc: "size(x): the length of a list, map or string (the same as len)", Fn: size},
		{Name: "has", Doc: "has(collection, x): a list holds x, a map has the key x, or a string contains x", Fn: includes},
		{Name: "includes", Doc: "includes(collection, x): the same as has", Fn: includes},
		{Name: "now", Doc: "now(): the run's clock", Clock: true, Fn: func(args ...any) (any, error) {
			if len(args) != 1 {
				return nil, errors.New("takes no arguments")
			}
			return args[0], nil
		}},
		{Name: "hoursSince", Doc: "hoursSince(ts): hours from ts (RFC 3339 text, Unix seconds or a time) to the run's clock", Clock: true, Fn: since(time.Hour)},
		{Name: "minutesSince", Doc: "minutesSince(ts): minutes from ts to the run's clock", Clock: true, Fn: since(time.Minute)},
		{Name: "daysSince", Doc: "daysSince(ts): days from ts to the run's clock", Clock: true, Fn: since(24 * time.Hour)},
		{Name: "distanceKm", Doc: "distanceKm(a, b): great-circle distance in km between points given as {lat, lon} or [lat, lon]", Fn: distanceKm},
	}
}

func size(args ...any) (any, error) {
	if len(args) != 1 {
		return nil, errors.New("takes one argument")
	}
	if args[0] == nil {
		return 0, nil
	}
	v := reflect.ValueOf(args[0])
	switch v.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
		return v.Len(), nil
	}
	return nil, fmt.Errorf("cannot take the size of %T", args[0])
}

func includes(args ...any) (any, error) {
	if len(args) != 2 {
		return nil, errors.New("takes a collection and a value")
	}
	coll, x := args[0], args[1]
	switch c := coll.(type) {
	case nil:
		return false, nil
	case string:
		s, ok := x.(string)
		return ok && strings.Contains(c, s), nil
	case map[string]any:
		k, ok := x.(string)
		if !ok {
			return false, nil
		}
		_, found := c[k]
		return found, nil
	}
	v := reflect.ValueOf(coll)
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if equal(v.Index(i).Interface(), x) {
				return true, nil
			}
		}
		return false, nil
	case reflect.Map:
		key := reflect.ValueOf(x)
		if !key.IsValid() || !key.Type().AssignableTo(v.Type().Key()) {
			return false, nil
		}
		return v.MapIndex(key).IsValid(), nil
	}
	return nil, fmt.Errorf("cannot look inside %T", coll)
}

// equal compares like expr's ==: numbers by value whatever their Go type.
func equal(a, b any) bool {
	if fa, ok := toFloat(a); ok {
		if fb, ok := toFloat(b); ok {
			return fa == fb
		}
	}
	return reflect.DeepEqual(a, b)
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint64:
		return float64(n), true
	case float32:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func since(unit time.Duration) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		if len(args) != 2 {
			return nil, errors.New("takes one timestamp")
		}
		clock, ok := args[1].(time.Time)
		if !ok {
			return nil, errors.New("no run clock")
		}
		ts, err := ToTime(args[0])
		if err != nil {
			return nil, err
		}
		return float64(clock.Sub(ts)) / float64(unit), nil
	}
}

// ToTime reads a timestamp: a time.Time, RFC 3339 text, or Unix seconds as a number.
func ToTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case string:
		ts, err := time.Parse(time.RFC3339Nano, t)
		if err != nil {
			return time.Time{}, fmt.Errorf("timestamp %q is not RFC 3339", t)
		}
		return ts, nil
	case nil:
		return time.Time{}, errors.New("timestamp is nil")
	}
	if f, ok := toFloat(v); ok {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("cannot read %T as a timestamp", v)
}

const earthRadiusKm = 6371.0088

func distanceKm(args ...any) (any, error) {
	if len(args) != 2 {
		return nil, errors.New("takes two points")
	}
	lat1, lon1, err := point(args[0])
	if err != nil {
		return nil, err
	}
	lat2, lon2, err := point(args[1])
	if err != nil {
		return nil, err
	}
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h))), nil
}

// point reads {lat, lon} (or lng), or [lat, lon].
func point(v any) (lat, lon float64, err error) {
	switch p := v.(type) {
	case map[string]any:
		la, ok1 := toFloat(p["lat"])
		lo, ok2 := toFloat(p["lon"])
		if !ok2 {
			lo, ok2 = toFloat(p["lng"])
		}
		if ok1 && ok2 {
			return la, lo, nil
		}
	case []any:
		if len(p) == 2 {
			la, ok1 := toFloat(p[0])
			lo, ok2 := toFloat(p[1])
			if ok1 && ok2 {
				return la, lo, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("%v is not a point ({lat, lon} or [lat, lon])", v)
}
