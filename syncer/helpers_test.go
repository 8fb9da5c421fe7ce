package syncer

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"dubbot/upstream/mal"
)

// applyWrite does to st what MAL does with w (without MAL's caps).
func applyWrite(st *mal.ListStatus, w mal.Update) {
	set := func(dst *int, src *int) {
		if src != nil {
			*dst = *src
		}
	}
	if w.Status != nil {
		st.Status = *w.Status
	}
	if w.Repeating != nil {
		st.Repeating = *w.Repeating
	}
	set(&st.Score, w.Score)
	set(&st.Progress, w.Progress)
	set(&st.Volumes, w.Volumes)
	set(&st.RepeatCount, w.RepeatCount)
	if w.StartDate != nil {
		st.StartDate = *w.StartDate
	}
	if w.FinishDate != nil {
		st.FinishDate = *w.FinishDate
	}
}

// show prints an Update's set fields, not their pointers.
func show(u mal.Update) string {
	var b strings.Builder
	v := reflect.ValueOf(u)
	for i := range v.NumField() {
		if f := v.Field(i); !f.IsNil() {
			fmt.Fprintf(&b, " %s=%v", v.Type().Field(i).Name, f.Elem())
		}
	}
	return "{" + b.String() + " }"
}

// checkUpdate asserts what every update must satisfy: MAL accepts the write,
// and the write sets exactly the fields the log lists.
func checkUpdate(t *testing.T, u Update) {
	t.Helper()
	if err := u.Write.Validate(u.Media); err != nil {
		t.Errorf("MAL would refuse the write for %d: %v", u.MALID, err)
	}
	set := map[Field]bool{
		FieldStatus: u.Write.Status != nil, FieldRepeating: u.Write.Repeating != nil, FieldScore: u.Write.Score != nil,
		FieldProgress: u.Write.Progress != nil, FieldVolumes: u.Write.Volumes != nil,
		FieldRepeatCount: u.Write.RepeatCount != nil, FieldStartDate: u.Write.StartDate != nil,
		FieldFinishDate: u.Write.FinishDate != nil,
	}
	logged := make(map[Field]bool)
	for _, c := range u.Changes {
		logged[c.Field] = true
	}
	for f, isSet := range set {
		if isSet != logged[f] {
			t.Errorf("update of %d: field %s set in Write %v, logged %v", u.MALID, f, isSet, logged[f])
		}
	}
}
