package main

// Strict mode: vcsim decodes a request into Go zero values, so a request missing a property
// that vCenter requires passes. vCenter refuses it with InvalidRequest ("Required property
// capacityInKB is missing from data object of type VirtualDisk"). This handler walks every
// SOAP body against govmomi's generated types before the simulator sees it and answers that
// fault the way vCenter does.
//
// A property is required when its Go field is an element that is neither a pointer, a slice,
// nor tagged omitempty (that is how govmomi's generator writes minOccurs="1"). xsi:type picks
// the concrete type; an untyped element of an interface property BaseX is an X.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vmware/govmomi/vim25/types"
)

const xsiNS = "http://www.w3.org/2001/XMLSchema-instance"
const xsdNS = "http://www.w3.org/2001/XMLSchema"

type node struct {
	name     string
	xsiType  string // local part, "" when untyped
	xsiSpace string // namespace URI of the xsi:type value's prefix
	children []*node
}

var lookupType = types.TypeFunc()
var timeType = reflect.TypeOf(time.Time{})

// refused counts requests strict mode refused, for the harness's report.
var refused int64

// parseBody reads the SOAP envelope into a tree of elements (text is not needed: only
// presence is checked).
func parseBody(body []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var stack []*node
	root := &node{}
	stack = append(stack, root)
	// Prefix bindings in scope: encoding/xml resolves element and attribute names but not the
	// prefix inside an xsi:type value, which vcsim and vCenter bind differently.
	scopes := []map[string]string{{}}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local}
			scope := scopes[len(scopes)-1]
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" {
					next := make(map[string]string, len(scope)+1)
					for k, v := range scope {
						next[k] = v
					}
					next[a.Name.Local] = a.Value
					scope = next
				}
			}
			scopes = append(scopes, scope)
			for _, a := range t.Attr {
				if a.Name.Space == xsiNS && a.Name.Local == "type" {
					n.xsiType = a.Value
					if i := strings.IndexByte(a.Value, ':'); i >= 0 {
						n.xsiType = a.Value[i+1:]
						// Resolve the value's prefix through the decoder's bindings.
						n.xsiSpace = scope[a.Value[:i]]
					}
				}
			}
			parent := stack[len(stack)-1]
			parent.children = append(parent.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			scopes = scopes[:len(scopes)-1]
		}
	}
	return root, nil
}

type field struct {
	name     string
	typ      reflect.Type
	required bool
}

// fieldsOf lists a struct's element properties in order, embedded base types first.
func fieldsOf(t reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("xml")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, fieldsOf(f.Type)...)
			continue
		}
		if tag == "" || tag == "-" {
			continue
		}
		parts := strings.Split(tag, ",")
		name := parts[0]
		if i := strings.LastIndexByte(name, ' '); i >= 0 {
			name = name[i+1:]
		}
		omitempty, skip := false, false
		for _, opt := range parts[1:] {
			switch opt {
			case "omitempty":
				omitempty = true
			case "attr", "chardata", "innerxml", "comment", "any":
				skip = true
			}
		}
		if skip || name == "" {
			continue
		}
		k := f.Type.Kind()
		out = append(out, field{
			name:     name,
			typ:      f.Type,
			required: !omitempty && k != reflect.Ptr && k != reflect.Slice,
		})
	}
	return out
}

type refusal struct{ msg string }

// check walks one element against its Go type; the first missing required property wins.
func check(n *node, t reflect.Type, isParams bool) *refusal {
	for t.Kind() == reflect.Ptr || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType {
		return nil
	}
	fields := fieldsOf(t)
	byName := make(map[string]*field, len(fields))
	for i := range fields {
		byName[fields[i].name] = &fields[i]
	}
	seen := map[string]bool{}
	for _, c := range n.children {
		seen[c.name] = true
	}
	for _, f := range fields {
		if f.required && !seen[f.name] {
			if isParams {
				return &refusal{fmt.Sprintf("Required parameter %s is missing", f.name)}
			}
			return &refusal{fmt.Sprintf("Required property %s is missing from data object of type %s", f.name, t.Name())}
		}
	}
	for _, c := range n.children {
		f := byName[c.name]
		if f == nil {
			continue
		}
		if r := check(c, concrete(c, f.typ), false); r != nil {
			return r
		}
	}
	return nil
}

// concrete is the type an element stands for: its xsi:type, else the declared type (an
// interface BaseX means X).
func concrete(n *node, declared reflect.Type) reflect.Type {
	if n.xsiType != "" {
		if n.xsiSpace == xsdNS {
			return reflect.TypeOf("")
		}
		if t, ok := lookupType(n.xsiType); ok {
			return t
		}
		return reflect.TypeOf("")
	}
	t := declared
	for t.Kind() == reflect.Ptr || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() == reflect.Interface {
		if strings.HasPrefix(t.Name(), "Base") {
			if c, ok := lookupType(strings.TrimPrefix(t.Name(), "Base")); ok {
				return c
			}
		}
		return reflect.TypeOf("")
	}
	return t
}

// validate returns the refusal for a SOAP request body, or nil.
func validate(body []byte) *refusal {
	root, err := parseBody(body)
	if err != nil {
		return nil // not XML: the simulator answers it as it would
	}
	call := callOf(root)
	if call == nil {
		return nil
	}
	t, ok := lookupType(call.name)
	if !ok {
		return nil // unknown method: the simulator's own MethodNotFound
	}
	return check(call, t, true)
}

// callOf is the method element of a SOAP envelope (the first child of its Body), nil when none.
func callOf(root *node) *node {
	if len(root.children) == 0 {
		return nil
	}
	for _, c := range root.children[0].children {
		if c.name == "Body" && len(c.children) > 0 {
			return c.children[0]
		}
	}
	return nil
}

// callLogger writes "call: <Method>" on stderr when a request for one of `methods` arrives,
// before the simulator serves it (and sleeps its DelayConfig): a test can act while the call is
// in flight on the vCenter, and count the calls a workflow made.
func callLogger(next http.Handler, methods map[string]bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/sdk") {
			body, err := io.ReadAll(r.Body)
			_ = r.Body.Close()
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			if root, err := parseBody(body); err == nil {
				if call := callOf(root); call != nil && methods[call.name] {
					fmt.Fprintf(os.Stderr, "call: %s\n", call.name)
				}
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
		}
		next.ServeHTTP(w, r)
	})
}

func faultXML(msg string) []byte {
	var esc bytes.Buffer
	_ = xml.EscapeText(&esc, []byte(msg))
	return []byte(xml.Header + `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>` + esc.String() +
		`</faultstring><detail><InvalidRequestFault xmlns="urn:vim25" xsi:type="InvalidRequest"></InvalidRequestFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`)
}

// strictHandler refuses SOAP requests missing a required property, then hands the rest to
// the simulator.
func strictHandler(next http.Handler, logf func(string, ...interface{})) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/sdk") {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if ref := validate(body); ref != nil {
			atomic.AddInt64(&refused, 1)
			logf("strict: refused: %s", ref.msg)
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write(faultXML(ref.msg))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}
