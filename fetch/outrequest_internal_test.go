package fetch

import (
	"net/http"
	"reflect"
	"testing"
)

// TestOutRequestSetsEveryField checks that outRequest leaves nothing of the
// caller's request in the request sent but its context: every exported
// field of http.Request, those a later Go adds included, must be set from
// the request the Transport built.
func TestOutRequestSetsEveryField(t *testing.T) {
	var caller http.Request
	v := reflect.ValueOf(&caller).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if !v.Type().Field(i).IsExported() {
			continue
		}
		switch f.Kind() {
		case reflect.String:
			f.SetString("caller's")
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Int, reflect.Int64:
			f.SetInt(7)
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface, reflect.Func, reflect.Chan:
			f.Set(reflect.New(f.Type()).Elem()) // made non-zero below where it can be
			if f.Kind() == reflect.Pointer {
				f.Set(reflect.New(f.Type().Elem()))
			}
			if f.Kind() == reflect.Map {
				f.Set(reflect.MakeMap(f.Type()))
			}
			if f.Kind() == reflect.Slice {
				f.Set(reflect.MakeSlice(f.Type(), 1, 1))
			}
		default:
			t.Fatalf("field %s of kind %s: extend this test", v.Type().Field(i).Name, f.Kind())
		}
	}
	built := http.Request{Method: "GET", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{}, Host: "api.example"}
	out := caller
	outRequest(&out, &built)
	o, b := reflect.ValueOf(out), reflect.ValueOf(built)
	for i := range o.NumField() {
		if !o.Type().Field(i).IsExported() {
			continue
		}
		if !reflect.DeepEqual(o.Field(i).Interface(), b.Field(i).Interface()) {
			t.Errorf("field %s = %v, the caller's; want %v, the built request's", o.Type().Field(i).Name, o.Field(i), b.Field(i))
		}
	}
}
